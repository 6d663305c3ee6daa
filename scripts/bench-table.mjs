// `npm run bench:table -- FILE [--readme]`: one `npm run bench -- --json` run as Markdown — the
// machine, then every target (value, limit, met or missed with the reason) and every figure
// measured against a floor. With --readme the table replaces the block between the
// `bench-table` markers in README.md, so the README shows one whole run, as measured.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';

/** Markdown for one results file (format imos-bench/1). */
export function benchTable(result) {
  if (result?.format !== 'imos-bench/1') throw new Error('not an imos-bench/1 results file');
  const m = result.machine;
  const load = (l) => (l ?? []).map((v) => v.toFixed(2)).join(' ');
  const num = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toFixed(2)))) : '–');
  const withUnit = (v, unit) => `${num(v)}${unit?.trim() ? ` ${unit.trim()}` : ''}`;
  const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `Run of ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(result.seconds)} s: ${m.cpus} × ${m.cpuModel}, ${m.memoryMb.toLocaleString('en-US')} MB, Node ${m.node.replace(/^v/, '')}, load average ${load(m.loadAverageAtStart)} at the start, ${load(m.loadAverageAtEnd)} at the end.`,
    '',
    '| bench | target | measured | limit | |',
    '|---|---|---|---|---|',
  ];
  for (const bench of result.benches) {
    if (!bench.completed) lines.push(`| ${bench.name} | the benchmark did not complete | | | FAILED |`);
    for (const t of bench.targets)
      lines.push(`| ${bench.name} | ${cell(t.name)} | ${withUnit(t.value, t.unit)} | ${withUnit(t.limit, t.unit)} | ${t.met ? 'met' : `MISSED — ${cell(t.reason ?? '')}`} |`);
  }
  const floored = result.benches.flatMap((b) => b.figures.filter((f) => f.floor).map((f) => ({ ...f, bench: b.name })));
  if (floored.length > 0) {
    lines.push('', '| bench | figure | measured | floor | ratio |', '|---|---|---|---|---|');
    for (const f of floored)
      lines.push(`| ${f.bench} | ${cell(f.name)} | ${withUnit(f.value, f.unit)} | ${cell(f.floor.name)}: ${withUnit(f.floor.value, f.unit)} | ${num(f.ratio)} × |`);
  }
  return lines.join('\n');
}

/** `readme` with the block between the markers replaced by `table`. */
export function replaceBenchTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('-'));
  if (!file) {
    process.stderr.write('usage: npm run bench:table -- FILE [--readme]   (FILE: written by npm run bench -- --json)\n');
    process.exit(64);
  }
  let table;
  try {
    table = benchTable(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    process.stderr.write(`bench:table: ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (args.includes('--readme')) {
    const readmeFile = path.resolve(import.meta.dirname, '../README.md');
    writeFileSync(readmeFile, replaceBenchTable(readFileSync(readmeFile, 'utf8'), table));
    console.log(`README.md: the performance table now shows ${file}`);
  } else console.log(table);
}
