import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../src/conditions/index.js';
import { checkContext } from './shared/testing.js';
import { coverageCheck, parseIstanbulSummary, parseLcov, percent, type CoverageCheckConfig } from './coverage.js';
import type { CheckOutcome } from './types.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.join(repo, 'test', 'fixtures', 'coverage-project');
const vitestBin = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const config = (raw: Record<string, unknown>): CoverageCheckConfig => coverageCheck.schema.parse(raw);
const holds = (conditions: string[], metrics: Record<string, unknown>) =>
  conditions.map((c) => evaluateCondition(parseCondition(c, coverageCheck.metrics), metrics).holds);
// The runners get a plain environment: not the one of the vitest running these tests.
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'imos-coverage-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Detail = { format: string; totals: Record<string, string>; lowest: Array<Record<string, string>>; ran?: string };

describe('coverage check on the report vitest (Istanbul) writes', () => {
  const reports = path.join(scratch, 'vitest');
  let outcome: CheckOutcome;
  beforeAll(async () => {
    outcome = await coverageCheck.run(
      config({
        report: path.join(reports, 'coverage-summary.json'),
        run: [process.execPath, vitestBin, 'run', '--coverage.enabled', `--coverage.reportsDirectory=${reports}`],
        cwd: project,
      }),
      checkContext({ baseDir: scratch, timeoutMs: 60_000, env }),
    );
  }, 90_000);

  it('reports the four measures as the runner computed them, with the least covered file first', () => {
    expect(outcome.status).toBeUndefined();
    const summary = JSON.parse(readFileSync(path.join(reports, 'coverage-summary.json'), 'utf8'));
    for (const m of ['lines', 'branches', 'functions', 'statements']) {
      // Istanbul truncates to two decimals; ours is rounded to one.
      expect(Math.abs((outcome.metrics[m] as number) - summary.total[m].pct)).toBeLessThan(0.06);
    }
    expect(outcome.metrics).toMatchObject({ lines: 42.9, statements: 40.9, functions: 60, branches: 31.3, files: 2 });
    expect(outcome.metrics.age).toBeLessThan(60);
    expect(outcome.value).toBe(42.9);
    expect(outcome.message).toBe('lines 42.9 %, branches 31.3 %, functions 60 %, statements 40.9 % over 2 files; lowest src/points.js 14.3 %');
    const detail = outcome.detail as Detail;
    expect(detail.format).toBe('istanbul');
    expect(detail.ran).toContain('vitest.mjs run');
    expect(detail.totals.lines).toBe('42.9 % (6/14)');
    expect(detail.lowest.map((f) => f.file)).toEqual(['src/points.js', 'src/price.js']);
    expect(detail.lowest[0]).toEqual({ file: 'src/points.js', lines: '14.3 %', branches: '0 %', functions: '33.3 %' });
  });

  it('gives conditions the percentages: the gate of 80 % fails, a gate of 40 % passes', () => {
    expect(holds(['lines >= 80%', 'lines >= 40%', 'branches > 30%', 'functions == 60%', 'age < 1h'], outcome.metrics)).toEqual([
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it("reads the runner's lcov.info of the same run to the same figures (statements are not in lcov)", async () => {
    const lcov = await coverageCheck.run(config({ report: path.join(reports, 'lcov.info'), cwd: project }), checkContext({ baseDir: scratch }));
    expect(lcov.status).toBeUndefined();
    const { lines, branches, functions, files } = outcome.metrics;
    expect(lcov.metrics).toMatchObject({ lines, branches, functions, files });
    expect(lcov.metrics.statements).toBeUndefined();
    expect(holds(['statements >= 0%'], lcov.metrics)).toEqual([false]); // missing never passes
    expect((lcov.detail as Detail).totals.statements).toBe('n/a (not in lcov)');
  });
});

describe("coverage check on the lcov of Node's own test runner", () => {
  const report = path.join(scratch, 'node', 'lcov.info');
  const run = [
    process.execPath,
    '--test',
    '--experimental-test-coverage',
    '--test-reporter=lcov',
    `--test-reporter-destination=${report}`,
    'test/node/price.spec.js',
  ];

  it('runs the tests, reads their lcov and names the least covered files', async () => {
    mkdirSync(path.dirname(report), { recursive: true });
    const outcome = await coverageCheck.run(config({ report, run, cwd: project, top: 2 }), checkContext({ baseDir: scratch, timeoutMs: 60_000, env }));
    expect(outcome.status).toBeUndefined();
    const text = readFileSync(report, 'utf8');
    // The tallies are the runner's own LF/LH lines added up.
    const sum = (tag: string) => [...text.matchAll(new RegExp(`^${tag}:(\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
    expect(outcome.metrics.lines).toBe(percent({ covered: sum('LH'), total: sum('LF') }));
    expect(outcome.metrics.functions).toBe(percent({ covered: sum('FNH'), total: sum('FNF') }));
    expect(outcome.metrics.files).toBe(3); // Node counts the test file too
    const detail = outcome.detail as Detail;
    expect(detail.format).toBe('lcov');
    expect(detail.lowest).toHaveLength(2);
    expect(detail.lowest[0]!.file).toBe('src/points.js');
    expect(outcome.message).toMatch(/^lines [\d.]+ %, branches [\d.]+ %, functions [\d.]+ % over 3 files; lowest src\/points\.js [\d.]+ %$/);
    expect(holds(['lines >= 80%'], outcome.metrics)).toEqual([false]);

    // A writer that leaves out the summary lines: the DA / BRDA / FNDA lines are counted instead.
    const bare = parseLcov(text.replace(/^(LF|LH|BRF|BRH|FNF|FNH):.*\n/gm, ''));
    const full = parseLcov(text);
    expect(bare.total).toEqual(full.total);
  }, 90_000);

  it('is an error when the tests write no report', async () => {
    const outcome = await coverageCheck.run(
      config({ report: path.join(scratch, 'node', 'never.info'), run: [process.execPath, '-e', 'process.exit(1)'], cwd: project }),
      checkContext({ baseDir: scratch, env }),
    );
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe(`${process.execPath} (exit 1) did not write ${path.join(scratch, 'node', 'never.info')}`);
  });
});

describe('coverage check: bad reports', () => {
  const write = (name: string, text: string) => {
    const file = path.join(scratch, name);
    writeFileSync(file, text);
    return file;
  };

  it('is an error naming the file when the report is missing', async () => {
    const outcome = await coverageCheck.run(config({ report: 'coverage/coverage-summary.json' }), checkContext({ baseDir: scratch }));
    expect(outcome).toMatchObject({
      status: 'error',
      message: `coverage report not found: ${path.join(scratch, 'coverage', 'coverage-summary.json')} (run the tests with coverage first, or give run:)`,
    });
  });

  it('is an error naming the file and line of a cut or foreign report', async () => {
    const cut = write('cut.info', 'TN:\nSF:src/a.js\nDA:1,1\nLF:1\n');
    expect((await coverageCheck.run(config({ report: cut }), checkContext())).message).toBe(`${cut}: the record of src/a.js has no end_of_record (a cut file?)`);
    const count = write('count.info', 'SF:src/a.js\nLF:many\nend_of_record\n');
    expect((await coverageCheck.run(config({ report: count }), checkContext())).message).toBe(`${count}: line 2: LF is "many", not a count`);
    const foreign = write('foreign.info', '<html>coverage</html>\n');
    expect((await coverageCheck.run(config({ report: foreign }), checkContext())).message).toContain('line 1: "<html>coverage</html>" outside a record');
    const noTotal = write('summary.json', '{"src/a.js": {}}');
    expect((await coverageCheck.run(config({ report: noTotal }), checkContext())).message).toBe(`${noTotal}: no "total" entry (expected Istanbul json-summary)`);
    const badTotal = write('bad-total.json', '{"total": {"lines": {"total": 3}}}');
    const outcome = await coverageCheck.run(config({ report: badTotal }), checkContext());
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain(`${badTotal}: "total" .lines.covered`);
  });

  it('counts nothing to cover as fully covered, as Istanbul does', () => {
    const report = parseIstanbulSummary(
      JSON.stringify({ total: { lines: { total: 0, covered: 0, pct: 100 }, statements: { total: 0, covered: 0 }, functions: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 } } }),
    );
    expect(percent(report.total.branches)).toBe(100);
  });
});
