import { chmodSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../src/conditions/index.js';
import { checkContext } from './shared/testing.js';
import { findTsc, parseTscOutput, summarizeDiagnostics, typescriptCheck, type TypescriptCheckConfig } from './typescript.js';
import { HANG_MS } from '../test/helpers/bounds.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(repo, 'test', 'fixtures');
const repoTsc = path.join(repo, 'node_modules', '.bin', 'tsc');
const config = (raw: Record<string, unknown>): TypescriptCheckConfig => typescriptCheck.schema.parse(raw);
const holds = (conditions: string[], metrics: Record<string, unknown>) =>
  conditions.map((c) => evaluateCondition(parseCondition(c, typescriptCheck.metrics), metrics).holds);

const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'imos-typescript-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in compiler: a shell script that behaves as written. */
function fakeTsc(name: string, body: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

// The real compiler runs in most of these: seconds of CPU each, far longer on a loaded machine.
describe('typescript check', { timeout: 120_000 }, () => {
  it('counts the errors of a real project, per file and per code', async () => {
    const outcome = await typescriptCheck.run(
      config({ project: 'ts-project/tsconfig.json', tsc: repoTsc }),
      checkContext({ baseDir: fixtures, timeoutMs: 60_000 }),
    );
    expect(outcome.status).toBeUndefined();
    expect(outcome.value).toBe(5);
    expect(outcome.metrics).toMatchObject({ errors: 5, files: 2 });
    expect(outcome.message).toBe('5 errors in 2 files (TS2322 ×3, TS2304 ×1, TS2339 ×1)');
    const detail = outcome.detail as ReturnType<typeof summarizeDiagnostics>;
    expect(detail.byFile).toEqual([
      { file: 'src/orders.ts', errors: 3 },
      { file: 'src/members.ts', errors: 2 },
    ]);
    expect(detail.codes.map((c) => [c.code, c.count])).toEqual([
      ['TS2322', 3],
      ['TS2304', 1],
      ['TS2339', 1],
    ]);
    expect(detail.codes[1]!.example).toBe("Cannot find name 'notifyWarehouse'.");
    // The example's thresholds (data/example/imos.yaml).
    expect(holds(['errors > 150', 'errors > 0'], outcome.metrics)).toEqual([false, true]);
    expect(holds(typescriptCheck.defaultExpect!, outcome.metrics)).toEqual([false]);
  });

  it('reports 0 for a clean project, finding the compiler in node_modules above the tsconfig', async () => {
    const projectDir = path.join(fixtures, 'ts-project-clean');
    expect(findTsc(projectDir, undefined, fixtures).path).toBe(repoTsc);
    const outcome = await typescriptCheck.run(config({ project: 'ts-project-clean' }), checkContext({ baseDir: fixtures, timeoutMs: 60_000 }));
    expect(outcome.status).toBeUndefined();
    expect(outcome.value).toBe(0);
    expect(outcome.metrics.errors).toBe(0);
    expect(outcome.message).toBe('no errors');
    expect((outcome.detail as { tsc: string }).tsc).toBe(repoTsc);
    expect(holds(['errors > 0'], outcome.metrics)).toEqual([false]);
  });

  it('is an error when tsc finds nothing to check', async () => {
    writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
    const outcome = await typescriptCheck.run(config({ project: 'tsconfig.json', tsc: repoTsc }), checkContext({ baseDir: scratch, timeoutMs: 60_000 }));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/^tsc could not check the project: TS18003: No inputs were found/);
  });

  it('is an error, without running anything, when the tsconfig or the compiler is missing', async () => {
    const noProject = await typescriptCheck.run(config({ project: 'nope/tsconfig.json', tsc: repoTsc }), checkContext({ baseDir: scratch }));
    expect(noProject).toMatchObject({ status: 'error', message: `tsconfig not found: ${path.join(scratch, 'nope', 'tsconfig.json')}` });
    const noTsc = await typescriptCheck.run(
      config({ project: path.join(fixtures, 'ts-project-clean', 'tsconfig.json'), tsc: './bin/no-tsc' }),
      checkContext({ baseDir: scratch }),
    );
    expect(noTsc).toMatchObject({ status: 'error', message: `tsc not found: ${path.join(scratch, 'bin', 'no-tsc')}` });
  });

  it('is an error when the compiler crashes', async () => {
    const crashing = fakeTsc('crash-tsc', 'echo "checking..."; echo "panic: runtime error: invalid memory address" >&2; exit 134');
    const outcome = await typescriptCheck.run(
      config({ project: path.join(fixtures, 'ts-project', 'tsconfig.json'), tsc: crashing }),
      checkContext({ baseDir: scratch }),
    );
    expect(outcome).toMatchObject({ status: 'error', message: 'tsc failed (exit 134): panic: runtime error: invalid memory address' });

    const killed = fakeTsc('killed-tsc', 'kill -KILL $$');
    const outcome2 = await typescriptCheck.run(config({ project: path.join(fixtures, 'ts-project'), tsc: killed }), checkContext({ baseDir: scratch }));
    expect(outcome2).toMatchObject({ status: 'error', message: 'tsc failed (killed by SIGKILL)' });
  });

  it('stops a compiler that runs past the timeout', async () => {
    const slow = fakeTsc('slow-tsc', 'sleep 60');
    const started = Date.now();
    const outcome = await typescriptCheck.run(
      config({ project: path.join(fixtures, 'ts-project'), tsc: slow }),
      checkContext({ baseDir: scratch, timeoutMs: 300 }),
    );
    expect(Date.now() - started).toBeLessThan(HANG_MS); // not the compiler's 60 s
    expect(outcome).toMatchObject({ status: 'error', message: 'tsc timed out after 300 ms' });
  });

  it('passes the project to the compiler and counts the diagnostics it prints', async () => {
    const args = path.join(scratch, 'args.txt');
    const printing = fakeTsc(
      'printing-tsc',
      [
        `echo "$@" > ${args}`,
        `echo "src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'."`,
        `echo "src/b.ts(2,1): error TS2345: Argument of type 'X' is not assignable."`,
        `echo "  Type 'X' is missing the following properties: a, b"`,
        `echo "src/b.ts(9,9): error TS2322: Type 'number' is not assignable to type 'string'."`,
        'exit 2',
      ].join('\n'),
    );
    const tsconfig = path.join(fixtures, 'ts-project', 'tsconfig.json');
    const outcome = await typescriptCheck.run(config({ project: tsconfig, tsc: printing, top: 1 }), checkContext({ baseDir: scratch }));
    expect((await import('node:fs')).readFileSync(args, 'utf8').trim()).toBe(`--noEmit -p ${tsconfig} --pretty false`);
    expect(outcome.metrics).toMatchObject({ errors: 3, files: 2 });
    expect(outcome.message).toBe('3 errors in 2 files (TS2322 ×2, TS2345 ×1)');
    const detail = outcome.detail as ReturnType<typeof summarizeDiagnostics>;
    expect(detail.byFile).toEqual([{ file: 'src/b.ts', errors: 2 }]); // top: 1
    expect(detail.codes).toHaveLength(1);
  });
});

describe('typescript check with project references', { timeout: 120_000 }, () => {
  /** A solution-style tsconfig over two composite projects (app references core), extending a base. */
  function solution(): string {
    const root = mkdtempSync(path.join(scratch, 'solution-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('tsconfig.base.json', '{ "compilerOptions": { "strict": true, "target": "es2022", "module": "nodenext" } }');
    // Comments and trailing commas, as tsconfig files have them.
    write('core/tsconfig.json', '{\n  // the shared code\n  "extends": "../tsconfig.base.json",\n  "compilerOptions": { "composite": true, "outDir": "dist", "rootDir": "src", },\n  "include": ["src"]\n}');
    write('core/src/index.ts', 'export const n: number = "not a number";\n');
    write('app/tsconfig.json', '{ "extends": "../tsconfig.base.json", "compilerOptions": { "composite": true, "outDir": "dist", "rootDir": "src" }, "include": ["src"], "references": [{ "path": "../core" }] }');
    write('app/src/main.ts', 'const s: string = 1;\nexport {};\n');
    write('tsconfig.json', '{ "files": [], "references": [{ "path": "./core" }, { "path": "./app" }] }');
    return root;
  }

  it('a solution tsconfig (files: [] + references) counts the errors of every referenced project', async () => {
    const root = solution();
    const outcome = await typescriptCheck.run(config({ project: 'tsconfig.json', tsc: repoTsc }), checkContext({ baseDir: root, timeoutMs: 60_000 }));
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics).toMatchObject({ errors: 2, files: 2 });
    const detail = outcome.detail as ReturnType<typeof summarizeDiagnostics> & { projects: string[] };
    expect(detail.byFile.map((f) => f.file).sort()).toEqual(['app/src/main.ts', 'core/src/index.ts']);
    expect(detail.projects).toEqual(['core/tsconfig.json', 'app/tsconfig.json']);
    expect(holds(typescriptCheck.defaultExpect!, outcome.metrics)).toEqual([false]);
  });

  it('never writes a .tsbuildinfo into the project it checks (composite projects are incremental)', async () => {
    const root = solution();
    const outcome = await typescriptCheck.run(config({ project: 'app/tsconfig.json', tsc: repoTsc }), checkContext({ baseDir: root, timeoutMs: 60_000 }));
    expect(outcome.metrics).toMatchObject({ errors: 2 });
    expect(readdirSync(path.join(root, 'app')).sort()).toEqual(['src', 'tsconfig.json']);
    expect(readdirSync(path.join(root, 'core')).sort()).toEqual(['src', 'tsconfig.json']);
  });
});

describe('parseTscOutput', () => {
  it('reads located and project-level diagnostics and skips continuation lines', () => {
    const output = [
      "src/x.ts(10,5): error TS2322: Type 'a' is not assignable to type 'b'.",
      "  Type 'a' is missing …",
      'error TS5058: The specified path does not exist.',
      'src/y (copy).ts(1,1): error TS1005: \';\' expected.',
      'Found 3 errors.',
    ].join('\r\n');
    expect(parseTscOutput(output)).toEqual([
      { file: 'src/x.ts', line: 10, column: 5, code: 'TS2322', message: "Type 'a' is not assignable to type 'b'." },
      { code: 'TS5058', message: 'The specified path does not exist.' },
      { file: 'src/y (copy).ts', line: 1, column: 1, code: 'TS1005', message: "';' expected." },
    ]);
  });
});
