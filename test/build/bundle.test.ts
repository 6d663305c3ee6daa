// What the bundle's start-up leaves out (README: "Performance"): Ink's layout engine loads without
// fetch (which would load undici), it carries one zod locale, not 64, the daemon loads none of the
// console, and the console's first full frame loads none of what only later frames need.
// Built with the options dist/ is built with (scripts/bundle-options.mjs).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript build options, without declarations
import { bundleOptions } from '../../scripts/bundle-options.mjs';
import { HANG_MS } from '../helpers/bounds.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imos-bundle-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the bundle', () => {
  it('lays out and draws an Ink frame without ever touching fetch', async () => {
    const entry = path.join(dir, 'frame.tsx');
    writeFileSync(
      entry,
      "import { render, Box, Text } from 'ink';\nconst { unmount } = render(<Box borderStyle=\"single\" width={20}><Text>laid out</Text></Box>, { patchConsole: false });\nunmount();\n",
    );
    const outfile = path.join(dir, 'frame.mjs');
    await build({ ...bundleOptions, entryPoints: [entry], outfile, absWorkingDir: ROOT, nodePaths: [path.join(ROOT, 'node_modules')] });
    // Any use of fetch at start-up (yoga's own loader uses it when it exists) fails the run.
    const guard = path.join(dir, 'no-fetch.mjs');
    writeFileSync(guard, "Object.defineProperty(globalThis, 'fetch', { configurable: true, get() { throw new Error('fetch was touched'); } });\n");
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && !k.startsWith('CI_')));
    const { stdout } = await run(process.execPath, ['--import', guard, outfile], { env: { ...env, COLUMNS: '40' }, timeout: HANG_MS });
    expect(stdout).toContain('laid out');
    expect(stdout).toContain('┌');
  });

  it('carries one zod locale (English), not all of them', async () => {
    const result = await build({
      ...bundleOptions,
      entryPoints: { imos: path.join(ROOT, 'src/cli/main.ts') },
      outdir: path.join(dir, 'dist'),
      splitting: true,
      write: false,
      metafile: true,
      absWorkingDir: ROOT,
    });
    // What the output carries (the metafile's inputs also list what tree shaking left out).
    const inputs = Object.values((result.metafile as Metafile).outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, use]) => use.bytesInOutput > 0)
        .map(([file]) => file),
    );
    const locales = inputs.filter((file) => /zod\/v4\/locales\/(?!index)/.test(file));
    expect(locales.map((file) => path.basename(file))).toEqual(['en.js']);
    // …and the config schemas are in it (the zod that validates the configuration).
    expect(inputs.some((file) => file.includes('zod/v4/classic/schemas.js'))).toBe(true);
  });

  it("the console's first full frame loads no Ink, React or yoga, and no width tables it does not need", async () => {
    const result = await build({
      ...bundleOptions,
      entryPoints: { imos: path.join(ROOT, 'src/cli/main.ts') },
      outdir: path.join(dir, 'dist-frame'),
      splitting: true,
      write: false,
      metafile: true,
      absWorkingDir: ROOT,
    });
    const outputs = (result.metafile as Metafile).outputs;
    // What `imos` (the console) imports on its way to the first full frame, in order: the command,
    // the skeleton, the console (with the frame), the configuration and the store, the plan
    // figures. Ink comes after the frame (src/console/full-screen.ts).
    const beforeFrame = [
      'src/cli/main.ts',
      'src/cli/commands/console.ts',
      'src/console/skeleton.ts',
      'src/config/locate.ts',
      'src/console/run.ts',
      'src/config/load.ts',
      'src/store/open.ts',
      'src/plan/overview.ts',
    ];
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of outputs[file]!.imports) if (outputs[imported.path] && imported.kind === 'import-statement') visit(imported.path);
    };
    for (const module of beforeFrame) {
      const chunk = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === module);
      expect(chunk, `${module} is a chunk of its own, imported on demand`).toBeDefined();
      visit(chunk!);
    }
    const inputs = [...loaded].flatMap((file) => Object.entries(outputs[file]!.inputs).filter(([, use]) => use.bytesInOutput > 0).map(([input]) => input));
    expect(inputs.some((input) => input.endsWith('views/frame.ts'))).toBe(true);
    // string-width and wrap-ansi (a word segmenter and Unicode's emoji tables: more than a bare node
    // start) load when a text needs them; the first frame's texts are measured without them.
    expect(inputs.filter((input) => /node_modules\/(ink|react|react-reconciler|yoga-layout|string-width|wrap-ansi|emoji-regex)\//.test(input))).toEqual([]);
  });

  it('the daemon loads none of the console: no Ink, React, yoga or views', async () => {
    const result = await build({
      ...bundleOptions,
      entryPoints: { imos: path.join(ROOT, 'src/cli/main.ts') },
      outdir: path.join(dir, 'dist-daemon'),
      splitting: true,
      write: false,
      metafile: true,
      absWorkingDir: ROOT,
    });
    const outputs = (result.metafile as Metafile).outputs;
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint?.endsWith('src/cli/main.ts'))!;
    const daemon = Object.keys(outputs).find((file) => Object.keys(outputs[file]!.inputs).some((input) => input.endsWith('src/cli/commands/daemon.ts')))!;
    expect(entry).toBeDefined();
    expect(daemon).toBeDefined();
    // What `imos daemon` can load: the entry and what it imports statically (it imports each
    // command on demand), the daemon command's chunk and everything that may import, on demand too.
    const loaded = new Set<string>();
    const visit = (file: string, onDemand: boolean) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of outputs[file]!.imports) {
        if (outputs[imported.path] && (imported.kind === 'import-statement' || (onDemand && imported.kind === 'dynamic-import'))) visit(imported.path, onDemand);
      }
    };
    visit(entry, false);
    loaded.delete(daemon);
    visit(daemon, true);
    const inputs = [...loaded].flatMap((file) => Object.entries(outputs[file]!.inputs).filter(([, use]) => use.bytesInOutput > 0).map(([input]) => input));
    expect(inputs.some((input) => input.endsWith('src/engine/engine.ts'))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/(ink|react|react-reconciler|yoga-layout)\/|(^|\/)views\//.test(input))).toEqual([]);
  });
});
