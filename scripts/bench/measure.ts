// Small measuring helpers for the benchmarks: run a thing N times, report percentiles, judge a
// target. Every figure and target is printed and also appended, as one JSON line, to the file
// `scripts/bench.mjs` names in IMOS_BENCH_RESULTS, which it gathers into `--json` output.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Figures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export async function measure(n: number, fn: (i: number) => unknown | Promise<unknown>): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return figures(samples);
}

export function figures(samples: number[]): Figures {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), mean: sum / sorted.length };
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

/** One measured figure, as written to the results file. */
export interface FigureRecord {
  name: string;
  unit: string;
  /** The headline value (p50 for timings). */
  value: number;
  n?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  /** What the figure is compared with, measured in the same run. */
  floor?: { name: string; value: number };
  /** value / floor.value. */
  ratio?: number;
  note?: string;
}

/** A target the figures are held to. */
export interface TargetRecord {
  name: string;
  value: number;
  limit: number;
  unit: string;
  met: boolean;
  /** Why it was missed (what was measured, what dominates, what would close it); null when met. */
  reason: string | null;
}

function emit(kind: 'figure' | 'target', record: FigureRecord | TargetRecord): void {
  const file = process.env.IMOS_BENCH_RESULTS;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ bench: process.env.IMOS_BENCH_NAME ?? null, kind, ...record })}\n`);
}

/** Record (and print) a figure. */
export function figure(record: FigureRecord): void {
  const ratio = record.ratio !== undefined ? `  (${record.ratio.toFixed(2)}× ${record.floor?.name ?? 'the floor'})` : '';
  const note = record.note ? `  ${record.note}` : '';
  console.log(`${record.name.padEnd(52)} ${figureText(record.value, record.unit).padStart(12)}${ratio}${note}`);
  emit('figure', record);
}

/** One line: name, p50 / p95 / p99, and the ratio to a floor's p50. */
export function report(name: string, f: Figures, floor?: Figures, floorName = 'the floor'): void {
  const ratio = floor ? `  (${(f.p50 / floor.p50).toFixed(2)}× ${floorName})` : '';
  console.log(`${name.padEnd(52)} p50 ${ms(f.p50).padStart(10)}  p95 ${ms(f.p95).padStart(10)}  p99 ${ms(f.p99).padStart(10)}  n=${f.n}${ratio}`);
  emit('figure', {
    name,
    unit: 'ms',
    value: f.p50,
    n: f.n,
    p50: f.p50,
    p95: f.p95,
    p99: f.p99,
    max: f.max,
    ...(floor ? { floor: { name: floorName, value: floor.p50 }, ratio: f.p50 / floor.p50 } : {}),
  });
}

/**
 * Judge a target: prints `met` or `MISSED … — reason`, records it, returns whether it held.
 * `reason` says why a miss happened (computed by the caller from what it measured).
 */
export function target(name: string, value: number, limit: number, unit: string, reason?: string): boolean {
  const met = Number.isFinite(value) && value <= limit;
  const shown = `${name}: ${figureText(value, unit)} (limit ${figureText(limit, unit)})`;
  const why = met ? null : (reason ?? `${figureText(value, unit)} is above the limit of ${figureText(limit, unit)}`);
  console.log(met ? `met     ${shown}` : `MISSED  ${shown} — ${why}`);
  emit('target', { name, value, limit, unit, met, reason: why });
  return met;
}

/** A target against a floor ratio (kept for the benches that judge ratios). */
export function verdict(what: string, value: number, limit: number, unit = '×', reason?: string): boolean {
  return target(what, value, limit, unit, reason);
}

/** A bench figure with its unit ("12.3 ms", "1.50×"): not a monitored value (src/text/values.ts). */
function figureText(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value}`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  if (unit === '×') return `${value.toFixed(2)}×`;
  return `${value.toFixed(digits)}${unit.startsWith(' ') || unit === '' ? unit : ` ${unit}`}`;
}
