// The build of dist/ in three parts (README: "Performance"), so that the console's first full frame
// loads one file, compiled from V8's code cache, instead of some 70 small chunks:
//
// - the core (dist/core-HASH.cjs): everything the console runs up to its first full frame — the
//   command line, the console command, the configuration, the store, the view model and the frame —
//   in one CommonJS file, which the entry compiles through vm.Script with a code cache
//   (src/cli/code-cache.ts). The modules it imports on demand on that path (FIRST_FRAME_IMPORTS)
//   are in it too; every other on-demand import is a module of the late part.
// - the late part (dist/late/*.js, dist/chunks/*.js): the rest (Ink and the panes, the other
//   commands, the engine, PostgreSQL, Slack, e-mail), split into ES modules as before. A module of
//   the late part that imports a module of the core gets the core's own instance of it (one copy
//   of each module: one StoreError class, one zod), through the core's table of modules.
// - the entry (dist/imos.js): loads the core and hands `main` to bin/imos.js.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { bundleOptions } from './bundle-options.mjs';

/**
 * What the console imports on demand on its way to the first full frame, in order: the command,
 * the skeleton, the console (with the frame), the configuration and the store, the plan figures.
 * These are bundled into the core; Ink comes after the frame (src/console/full-screen.ts).
 */
export const FIRST_FRAME_IMPORTS = [
  'src/cli/commands/console.ts',
  'src/console/skeleton.ts',
  'src/config/locate.ts',
  'src/console/run.ts',
  'src/config/load.ts',
  'src/store/open.ts',
  'src/plan/overview.ts',
];

/** The global through which the late part reaches the core's modules (the entry sets it: `__IMOS_CORE__.modulesKey`). */
export const CORE_MODULES_KEY = 'imos.core.modules';

// A late import in the core is written `import("__IMOSLATE__/slug")`, then rewritten to
// `__imosImport("./late/slug")`, the same length, so that the source map stays true: the core is a
// script (vm.Script), whose own import() would need an experimental loader; the entry's
// __imosImport imports the late module as an ES module.
const LATE_MARK = 'import("__IMOSLATE__/';
const LATE_CALL = '__imosImport("./late/';

const isCode = (input) => !input.includes(':');

/**
 * A module's name in the core's table of modules (and in the late part's calls into it): its path
 * from the project root, a package's from its node_modules folder wherever that folder really is
 * (a linked one too). Never the checkout's absolute path: two checkouts of one commit build the
 * same files, with the same hash.
 */
function moduleKey(root, file) {
  const relative = path.relative(root, file);
  const parts = (relative.startsWith('..') ? file : relative).split(path.sep);
  const packageAt = parts.indexOf('node_modules');
  if (packageAt >= 0) return parts.slice(packageAt).join('/');
  return relative.split(path.sep).join('/');
}

/** A late module's name (and the start of its file's): from its key, so the same in every checkout. */
const slugOf = (root, file) =>
  moduleKey(root, file)
    .replace(/^(\.\.\/)+/, '')
    .replace(/\.[cm]?[jt]sx?$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-');

/** `file` as the core's entry imports it: relative to the root, where the entry is resolved. */
const specifierOf = (root, file) => {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return relative.startsWith('..') ? relative : `./${relative}`;
};

/**
 * The core's plugin: on-demand imports on the first frame's path (and of modules the core holds
 * anyway) stay in the core, lazily evaluated; every other on-demand import becomes a late module.
 */
function coreSplit(root, late, coreFiles) {
  const keep = new Set(FIRST_FRAME_IMPORTS.map((file) => path.join(root, file)));
  return {
    name: 'imos-core-split',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.imosResolving) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { imosResolving: true } });
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return undefined;
        if (keep.has(resolved.path) || coreFiles?.has(resolved.path)) return undefined;
        const slug = slugOf(root, resolved.path);
        late.set(slug, resolved.path);
        return { path: `__IMOSLATE__/${slug}`, external: true };
      });
    },
  };
}

/**
 * The late part's plugin: an import of a module the core holds gets the core's instance, named by
 * its key (moduleKey). With `picks`, a first pass: each export is a pure call naming the module and
 * the export, so that the late part's output keeps only the names it uses (the core then keeps only
 * those of a package).
 */
function fromCore(root, coreFiles, exportsOf, picks) {
  return {
    name: 'imos-from-core',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData?.imosResolving) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { imosResolving: true } });
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file' || !coreFiles.has(resolved.path)) return undefined;
        return { path: moduleKey(root, resolved.path), namespace: 'imos-core', pluginData: { imosFile: resolved.path } };
      });
      b.onLoad({ filter: /.*/, namespace: 'imos-core' }, (args) => {
        const file = JSON.stringify(args.path);
        const names = exportsOf.get(args.pluginData.imosFile);
        if (picks) {
          if (!names) return { contents: `module.exports = __imosPick(${file}, "*");`, loader: 'js' };
          // (`export { x as enum }`: an export may be named by a reserved word.)
          const lines = names.map((name, i) => `const x${i} = /* @__PURE__ */ __imosPick(${file}, ${JSON.stringify(name)});\nexport { x${i} as ${name} };`);
          return { contents: `${lines.join('\n')}\n__imosPick(${file}, "");`, loader: 'js' };
        }
        const get = `globalThis[Symbol.for(${JSON.stringify(CORE_MODULES_KEY)})][${file}]()`;
        // A CommonJS module: its module.exports, as importing it would give.
        if (!names) return { contents: `module.exports = ${get};`, loader: 'js' };
        // An ES module: its exports by name (none of those the late part uses is reassigned later).
        const lines = [`const m = ${get};`];
        names.forEach((name, i) => lines.push(`const x${i} = m[${JSON.stringify(name)}];`, `export { x${i} as ${name} };`));
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/** The late part's entries: each late module's namespace, as `__ns` (src/cli/entry.ts unwraps it). */
function lateEntries(late) {
  return {
    name: 'imos-late-entries',
    setup(b) {
      b.onResolve({ filter: /^imos-late:/ }, (args) => ({ path: args.path.slice('imos-late:'.length), namespace: 'imos-late' }));
      // (From beside the module: the source map carries this text, and no absolute path.)
      b.onLoad({ filter: /.*/, namespace: 'imos-late' }, (args) => ({
        contents: `export * as __ns from ${JSON.stringify(`./${path.basename(late.get(args.path))}`)};`,
        loader: 'js',
        resolveDir: path.dirname(late.get(args.path)),
      }));
    },
  };
}

/**
 * Build dist/ into `outdir`: returns the metafiles (for the record of inputs) and the names of the
 * core and late files. Throws (esbuild has printed why) when a part does not build.
 */
export async function buildDist({ root, outdir, sourcemap = 'linked' }) {
  const common = { ...bundleOptions, absWorkingDir: root, legalComments: 'none', metafile: true };
  const main = path.join(root, 'src/cli/main.ts');
  const late = new Map();
  // 1. What the core holds: main and what it imports, with the first frame's on-demand imports.
  const probe = await build({ ...common, entryPoints: [main], outfile: path.join(outdir, 'probe.js'), write: false, plugins: [...bundleOptions.plugins, coreSplit(root, late, null)] });
  const coreFiles = new Set(Object.keys(probe.metafile.inputs).filter(isCode).map((input) => path.resolve(root, input)));
  // An on-demand import of a module the core holds anyway (imported statically elsewhere) stays in
  // the core. Not a second probe with `coreFiles` known: that one reaches the same modules (every
  // such module was reached in this one), so its late part is this one's without them.
  for (const [slug, file] of late) if (coreFiles.has(file)) late.delete(slug);

  // 2. The export names of the core's ES modules, for the late part's imports of them.
  const names = await build({
    ...common,
    entryPoints: [...coreFiles],
    outdir: path.join(outdir, 'names'),
    splitting: true,
    write: false,
    minify: false,
  });
  const exportsOf = new Map();
  for (const output of Object.values(names.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const file = path.resolve(root, output.entryPoint);
    if (names.metafile.inputs[output.entryPoint]?.format === 'cjs') continue;
    exportsOf.set(file, output.exports);
  }

  // 3. The late part: ES modules, split as before; its imports of the core's modules go to the
  // core. A first pass finds which of the core's modules, and which of their exports, it uses.
  const lateOptions = {
    ...common,
    // In a fixed order (the probe found them in whatever order its resolutions finished): the
    // order of the entries decides how the shared chunks are named.
    entryPoints: Object.fromEntries([...late.keys()].sort().map((slug) => [`late/${slug}`, `imos-late:${slug}`])),
    outdir,
    splitting: true,
    sourcemap,
    entryNames: '[dir]/[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
  };
  const picked = await build({ ...lateOptions, write: false, minify: false, sourcemap: false, plugins: [...bundleOptions.plugins, lateEntries(late), fromCore(root, coreFiles, exportsOf, true)] });
  const used = new Map();
  for (const output of picked.outputFiles) {
    for (const [, file, name] of output.text.matchAll(/__imosPick\(("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)/g)) {
      const names = used.get(JSON.parse(file)) ?? new Set();
      if (JSON.parse(name)) names.add(JSON.parse(name));
      used.set(JSON.parse(file), names);
    }
  }
  const lateResult = await build({ ...lateOptions, plugins: [...bundleOptions.plugins, lateEntries(late), fromCore(root, coreFiles, exportsOf, false)] });
  const lateFiles = {};
  const lateOutputs = Object.entries(lateResult.metafile.outputs).map(([file, output]) => [output.entryPoint?.startsWith('imos-late:') ? output.entryPoint.slice('imos-late:'.length) : null, file]);
  for (const [slug, file] of lateOutputs.filter(([slug]) => slug).sort(([a], [b]) => a.localeCompare(b))) lateFiles[slug] = path.relative(outdir, path.resolve(root, file));

  // 4. The core: one CommonJS script, with the table of the modules the late part takes from it:
  // its own modules evaluated on first use; a package's, only the exports used (zod's whole
  // namespace would bring every locale).
  const imports = [];
  const fileOf = new Map([...coreFiles].map((file) => [moduleKey(root, file), file]));
  const table = [...used].sort(([a], [b]) => a.localeCompare(b)).map(([key, names], i) => {
    const file = fileOf.get(key);
    const from = JSON.stringify(specifierOf(root, file));
    if (!exportsOf.has(file) || !file.includes(`${path.sep}node_modules${path.sep}`)) return `  ${JSON.stringify(key)}: () => require(${from}),`;
    const list = [...names].map((name, j) => [name, `p${i}_${j}`]);
    imports.push(`import { ${list.map(([name, local]) => `${name} as ${local}`).join(', ')} } from ${from};`);
    return `  ${JSON.stringify(key)}: () => ({ ${list.map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ')} }),`;
  });
  const coreEntry = `${imports.join('\n')}\nexport { main } from ${JSON.stringify(specifierOf(root, main))};\nexport const modules = {\n${table.join('\n')}\n};\n`;
  const coreResult = await build({
    ...common,
    stdin: { contents: coreEntry, resolveDir: root, sourcefile: 'imos-core.js', loader: 'js' },
    outfile: path.join(outdir, 'core.cjs'),
    format: 'cjs',
    write: false,
    sourcemap: sourcemap ? 'external' : false,
    // The entry passes require, the file's URL and __imosImport (src/cli/entry.ts).
    banner: {},
    define: { ...bundleOptions.define, 'import.meta.url': '__imosCoreUrl' },
    plugins: [...bundleOptions.plugins, coreSplit(root, new Map(), coreFiles)],
  });
  const code = coreResult.outputFiles.find((file) => file.path.endsWith('.cjs'));
  const map = coreResult.outputFiles.find((file) => file.path.endsWith('.map'));
  let text = code.text.split(LATE_MARK).join(LATE_CALL);
  if (text.includes('__IMOSLATE__')) throw new Error('core-build: a late import in the core was not rewritten');
  for (const slug of text.matchAll(/__imosImport\("\.\/late\/([^"]+)"\)/g)) {
    if (!lateFiles[slug[1]]) throw new Error(`core-build: the core imports late module ${slug[1]}, which was not built`);
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const coreName = `core-${hash}.cjs`;
  if (map) text += `\n//# sourceMappingURL=${coreName}.map\n`;

  // 5. The entry: loads the core with its code cache, and gives the late part the core's modules.
  const entryResult = await build({
    ...common,
    entryPoints: { imos: path.join(root, 'src/cli/entry.ts') },
    outdir,
    sourcemap,
    define: { ...bundleOptions.define, __IMOS_CORE__: JSON.stringify({ file: coreName, hash, late: lateFiles, modulesKey: CORE_MODULES_KEY }) },
  });
  return {
    core: { name: coreName, text, map: map?.text ?? null },
    // The late part, the core, the entry.
    metafiles: [lateResult.metafile, coreResult.metafile, entryResult.metafile],
    lateFiles,
  };
}
