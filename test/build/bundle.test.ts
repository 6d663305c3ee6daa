// What the bundle's start-up leaves out (README: "Performance"): Ink's layout engine loads without
// fetch (which would load undici), it carries one zod locale, not 64, the daemon loads none of the
// console, and the console's first full frame loads one file, with none of what only later frames need.
// Built with the options dist/ is built with (scripts/bundle-options.mjs).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript build options, without declarations
import { bundleOptions } from '../../scripts/bundle-options.mjs';
// @ts-expect-error: plain JavaScript build, without declarations
import { buildDist, FIRST_FRAME_IMPORTS } from '../../scripts/core-build.mjs';
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

/** dist/ as scripts/build.mjs builds it (scripts/core-build.mjs), built once for these tests. */
let building: Promise<{ metafiles: Metafile[]; lateFiles: Record<string, string>; core: { text: string; map: string | null } }> | null = null;
const built = () => (building ??= buildDist({ root: ROOT, outdir: path.join(dir, 'dist') }));

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
    const { metafiles } = await built();
    // What the output carries (the metafile's inputs also list what tree shaking left out).
    const inputs = (metafiles as Metafile[]).flatMap((metafile) =>
      Object.values(metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([, use]) => use.bytesInOutput > 0)
          .map(([file]) => file),
      ),
    );
    const locales = inputs.filter((file) => /zod\/v4\/locales\/(?!index)/.test(file));
    expect(locales.map((file) => path.basename(file))).toEqual(['en.js']);
    // …and the config schemas are in it (the zod that validates the configuration).
    expect(inputs.some((file) => file.includes('zod/v4/classic/schemas.js'))).toBe(true);
  });

  it("the console's first full frame loads one file, the core, with no Ink, React or yoga, and no width tables it does not need", async () => {
    const { metafiles, lateFiles } = await built();
    const core = (metafiles[1] as Metafile).outputs;
    const coreOutput = Object.values(core).find((output) => Object.keys(output.inputs).length > 0)!;
    const inputs = Object.entries(coreOutput.inputs)
      .filter(([, use]) => use.bytesInOutput > 0)
      .map(([input]) => input);
    // What the console imports on demand on its way to the first frame is in the core, with the frame.
    for (const module of [...FIRST_FRAME_IMPORTS, 'src/cli/main.ts', 'views/frame.ts']) expect(inputs, module).toContain(module);
    // string-width and wrap-ansi (a word segmenter and Unicode's emoji tables: more than a bare node
    // start) load when a text needs them; the first frame's texts are measured without them.
    expect(inputs.filter((input) => /node_modules\/(ink|react|react-reconciler|yoga-layout|string-width|wrap-ansi|emoji-regex)\//.test(input))).toEqual([]);
    // Ink comes later, from the late part, which holds no second copy of a module of the core.
    expect(Object.keys(lateFiles)).toContain('src-console-full-screen');
    const late = (metafiles[0] as Metafile).outputs;
    const coreInputs = new Set(Object.keys(coreOutput.inputs).filter((input) => !input.includes(':')));
    const twice = Object.values(late).flatMap((output) => Object.entries(output.inputs).filter(([input, use]) => use.bytesInOutput > 0 && coreInputs.has(input)).map(([input]) => input));
    expect(twice).toEqual([]);
    expect(Object.values(late).some((output) => Object.keys(output.inputs).some((input) => /node_modules\/ink\//.test(input)))).toBe(true);
  });

  it('names no absolute path of the checkout (nor of its packages), so two checkouts of one commit build the same files', async () => {
    const { core, lateFiles } = await built();
    const out = path.join(dir, 'dist');
    const files = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    expect(files.some((file) => file.endsWith('.map'))).toBe(true);
    // An absolute path, not one relative to the build's folder (this build's maps name their
    // sources from a temporary folder, climbing up to the checkout: "../../../…/src/x.ts").
    const absolute = (place: string) => new RegExp(`(?<!\\.)${place.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);
    const places = [ROOT, path.dirname(realpathSync(path.join(ROOT, 'node_modules')))].map(absolute);
    const texts: Array<[string, string]> = [['the core', core.text], ['the core map', core.map ?? ''], ...files.map((file): [string, string] => [path.relative(out, file), readFileSync(file, 'utf8')])];
    const naming = texts.filter(([, text]) => places.some((place) => place.test(text))).map(([name]) => name);
    expect(naming).toEqual([]);
    // The core's table of modules names them from the project root (a package from node_modules).
    expect(core.text).toContain('"src/exit.ts":');
    expect(core.text).toMatch(/"node_modules\/zod\/[^"]+":/);
    // …and the late modules in one order, not in whichever order the build happened to find them.
    expect(Object.keys(lateFiles)).toEqual(Object.keys(lateFiles).sort((a, b) => a.localeCompare(b)));
  });

  it('the daemon loads none of the console: no Ink, React or yoga, no views of the late part', async () => {
    const { metafiles, lateFiles } = await built();
    const outputs = (metafiles[0] as Metafile).outputs;
    const daemon = Object.keys(outputs).find((file) => file.endsWith(`/${lateFiles['src-cli-commands-daemon']}`))!;
    expect(daemon).toBeDefined();
    // What `imos daemon` can load besides the core (whose views are the console's first frame, run
    // only by the console): the daemon command's module and everything it may import, on demand too.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of outputs[file]!.imports) if (outputs[imported.path]) visit(imported.path);
    };
    visit(daemon);
    const inputs = [...loaded].flatMap((file) => Object.entries(outputs[file]!.inputs).filter(([, use]) => use.bytesInOutput > 0).map(([input]) => input));
    expect(inputs.some((input) => input.endsWith('src/engine/engine.ts'))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/(ink|react|react-reconciler|yoga-layout)\/|(^|\/)views\//.test(input))).toEqual([]);
  });
});
