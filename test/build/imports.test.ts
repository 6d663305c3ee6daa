// The import rules (scripts/check-imports.mjs, dependency-cruiser): they hold for this checkout, and
// the check does fail on a small tree that breaks them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'scripts/check-imports.mjs');
const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A small source tree: file name → text. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imos-imports-test-'));
  trees.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Runs the check; its exit code and what it printed. */
async function check(root?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...(root ? [root] : [])], { cwd: ROOT, timeout: 110_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The check on a tree that breaks the rules: it must fail; what it printed. */
async function failureOn(files: Record<string, string>): Promise<string> {
  const { code, output } = await check(tree(files));
  expect(code).toBe(1);
  return output;
}

// Each check cruises the tree (3 s of CPU): 16 s at a load of 17, and more on a busier machine.
describe('import rules', { timeout: 120_000 }, () => {
  it('hold for the product code of this checkout', async () => {
    const { code, output } = await check();
    expect(output).toContain('import rules hold');
    expect(code).toBe(0);
  });

  it('fail on a cycle between two folders even when no module imports itself back', async () => {
    const output = await failureOn({
      'src/a/one.ts': "import { two } from '../b/two.js';\nexport const one = () => two;\n",
      'src/a/four.ts': 'export const four = 4;\n',
      'src/b/two.ts': 'export const two = 2;\n',
      'src/b/three.ts': "import { four } from '../a/four.js';\nexport const three = four - 1;\n",
    });
    expect(output).toContain('folder cycle: src/a, src/b');
    expect(output).toContain('src/a → src/b (src/a/one.ts imports src/b/two.ts)');
    expect(output).toContain('src/b → src/a (src/b/three.ts imports src/a/four.ts)');
  });

  it('fail on a module cycle, a check kind importing src/ beyond src/text, and src/ importing views/', async () => {
    const output = await failureOn({
      'src/a/x.ts': "import { y } from './y.js';\nexport const x = () => y();\n",
      'src/a/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
      'src/text/clean.ts': 'export const clean = (s: string) => s;\n',
      'checks/kind.ts': "import { clean } from '../src/text/clean.js';\nimport { x } from '../src/a/x.js';\nexport const kind = () => clean(String(x));\n",
      'src/b/leak.ts': "import { App } from '../../views/App.js';\nexport const leak = App;\n",
      'views/App.tsx': 'export const App = () => <></>;\n',
    });
    expect(output).toContain('no-module-cycles: src/a/x.ts → src/a/y.ts');
    expect(output).toContain('checks-import-only-text-from-src: checks/kind.ts → src/a/x.ts');
    expect(output).not.toContain('checks/kind.ts → src/text/clean.ts');
    expect(output).toContain('src-does-not-import-views: src/b/leak.ts → views/App.tsx');
  });

  it('fail on the web wing drawing from a console component, and on src/ other than the HTTP face importing it', async () => {
    const output = await failureOn({
      'views/App.tsx': 'export const App = () => <></>;\n',
      'views/model/rows.ts': 'export const rows = () => [];\n',
      'web/page.ts': "import { App } from '../views/App.js';\nimport { rows } from '../views/model/rows.js';\nexport const page = () => [App, rows];\n",
      'src/server/face.ts': "import { page } from '../../web/page.js';\nexport const face = page;\n",
      'src/cli/serve.ts': "import { page } from '../../web/page.js';\nexport const serve = page;\n",
    });
    expect(output).toContain('web-reads-only-the-view-model: web/page.ts → views/App.tsx');
    expect(output).not.toContain('web/page.ts → views/model/rows.ts');
    expect(output).toContain('only-the-http-face-serves-web: src/cli/serve.ts → web/page.ts');
    expect(output).not.toContain('src/server/face.ts → web/page.ts');
  });

  it('fail on the console wing importing its launcher, and on the engine side or an eager import loading the launcher', async () => {
    const output = await failureOn({
      'src/console/run.ts': 'export const start = () => 1;\n',
      'src/console/history.ts': 'export const history = [];\n',
      'views/App.tsx': "import { history } from '../src/console/history.js';\nexport const App = () => <>{history}</>;\n",
      'src/engine/engine.ts': "export const later = async () => (await import('../console/run.js')).start;\n",
      'src/cli/commands/console.ts': "import { start } from '../../console/run.js';\nexport const action = start;\n",
      'src/cli/commands/demo.ts': "export const action = async () => (await import('../../console/run.js')).start;\n",
    });
    expect(output).toContain('the-console-wing-does-not-import-its-launcher: views/App.tsx → src/console/history.ts');
    expect(output).toContain('only-the-cli-starts-the-launcher: src/engine/engine.ts → src/console/run.ts');
    expect(output).toContain('the-launcher-loads-lazily: src/cli/commands/console.ts → src/console/run.ts');
    expect(output).not.toContain('src/cli/commands/demo.ts → src/console/run.ts');
  });

  it('let type-only imports and the console launcher through', async () => {
    const root = tree({
      'src/model.ts': 'export interface Thing { id: string }\nexport const THINGS = 1;\n',
      'checks/types.ts': "import type { Thing } from '../src/model.js';\nexport type Kind = { thing: Thing };\n",
      'src/engine/run.ts': "import type { Kind } from '../../checks/types.js';\nexport const run = (k: Kind) => k.thing.id;\n",
      'src/console/run.ts': "import { App } from '../../views/App.js';\nexport const start = () => App;\n",
      'views/App.tsx': "import { THINGS } from '../src/model.js';\nexport const App = () => <>{THINGS}</>;\n",
      'src/cli/commands/console.ts': "export const action = async () => (await import('../../console/run.js')).start;\n",
      'src/cli/commands/demo.ts': "import type { start } from '../../console/run.js';\nexport const action = async (): Promise<typeof start> => (await import('../../console/run.js')).start;\n",
    });
    const { code, output } = await check(root);
    expect(output).toContain('import rules hold');
    expect(code).toBe(0);
  });
});
