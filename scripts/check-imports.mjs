// The import rules of the product code (src/, checks/, views/), checked with dependency-cruiser:
//
// - no cycles between folders. A folder is `src/<name>/` (with everything below it), each file
//   directly in src/ (`src/model.ts`), `checks/` and `views/`. One documented exception: the
//   console's launcher (src/console/, and src/cli/commands/console.ts that starts it) imports
//   views/App to start the full-screen console; views may import src/ (state in, actions out),
//   so these edges are left out of the folder graph. Nothing else in src/ imports views/.
// - the console wing (views/) never imports its launcher (src/console/); in src/ only the CLI
//   commands that start a console (console, demo) import the launcher, and only on demand
//   (`await import(…)`), so no engine-side module loads the console.
// - no cycles between modules.
// - the leaves (src/text/, src/time/, src/exit.ts, src/processes.ts, src/on-first-use.ts) import
//   nothing else of imos: both sides of every other folder may import them.
// - check kinds (checks/) import from src/ only the leaf src/text/ (sanitising, redaction,
//   durations); everything else they take from src/ is types.
// - the web wing (web/: the dashboard's pages, script and styles) draws from the console's pure
//   view model (views/model) and never from its components; in src/ only the HTTP face
//   (src/server) serves it.
//
// What counts is what the program loads: the sources are transpiled one file at a time with
// esbuild (type-only imports are erased, exactly as in the bundle) and the JavaScript is cruised.
// Tests and test helpers (`*.test.ts(x)`, `testing/`) are left out: they may import anything.
//
// `node scripts/check-imports.mjs [ROOT]` prints the violations and exits 1 when there are any
// (ROOT: another tree, default this checkout); the test suite runs it (test/build/imports.test.ts).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { cruise } from 'dependency-cruiser';

export const PRODUCT_DIRS = ['src', 'checks', 'views', 'web'];

const LEAVES = '^src/(text/|time/|exit\\.js$|processes\\.js$|on-first-use\\.js$)';
/** src/ files that may import views/: the console's launcher and the command that starts it. */
export const LAUNCHER = '^src/(console/|cli/commands/console\\.js$)';

export const RULES = [
  {
    name: 'no-module-cycles',
    severity: 'error',
    comment: 'a module reaches itself through its imports',
    from: {},
    to: { circular: true },
  },
  {
    name: 'leaves-import-no-imos',
    severity: 'error',
    comment: 'src/text, src/time, src/exit.ts, src/processes.ts and src/on-first-use.ts are leaves: they import nothing else of imos',
    from: { path: LEAVES },
    to: { path: '^(src|checks|views|web)/', pathNot: LEAVES },
  },
  {
    name: 'checks-import-only-text-from-src',
    severity: 'error',
    comment: 'check kinds take only the leaf src/text from src/ (types aside)',
    from: { path: '^checks/' },
    to: { path: '^(src|views|web)/', pathNot: '^src/text/' },
  },
  {
    name: 'src-does-not-import-views',
    severity: 'error',
    comment: 'only the console launcher (src/console, src/cli/commands/console.ts) starts views/',
    from: { path: '^src/', pathNot: LAUNCHER },
    to: { path: '^views/' },
  },
  {
    name: 'the-console-wing-does-not-import-its-launcher',
    severity: 'error',
    comment: 'views/ (and web/) never import src/console: the wing does not depend on how a terminal is set up',
    from: { path: '^(views|web)/' },
    to: { path: '^src/console/' },
  },
  {
    name: 'only-the-cli-starts-the-launcher',
    severity: 'error',
    comment: 'the engine side never imports the console launcher; the CLI commands that start a console load it on demand',
    from: { path: '^src/', pathNot: '^src/(console/|cli/commands/(console|demo)\\.js$)' },
    to: { path: '^src/console/' },
  },
  {
    name: 'the-launcher-loads-lazily',
    severity: 'error',
    comment: 'a CLI command loads the console launcher with import() when a console starts, never at start-up',
    from: { path: '^src/cli/' },
    to: { path: '^src/console/', dependencyTypesNot: ['dynamic-import'] },
  },
  {
    name: 'web-reads-only-the-view-model',
    severity: 'error',
    comment: 'the web dashboard draws from views/model (plain TypeScript), never from the console’s components',
    from: { path: '^web/' },
    to: { path: '^views/', pathNot: '^views/model/' },
  },
  {
    name: 'only-the-http-face-serves-web',
    severity: 'error',
    comment: 'in src/ only the HTTP face (src/server) imports the web wing',
    from: { path: '^src/', pathNot: '^src/server/' },
    to: { path: '^web/' },
  },
];

const isTest = (file) => /\.test\.tsx?$/.test(file) || /(^|\/)testing(\/|\.tsx?$)/.test(file);

/** The folder a module belongs to, for the folder-cycle rule. */
export function folderOf(file) {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : file;
  return parts[0];
}

async function sources(root, dir) {
  const out = [];
  let entries;
  try {
    entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return out;
    throw error;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await sources(root, rel)));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTest(rel)) out.push(rel);
  }
  return out;
}

/** Strongly connected groups of more than one folder (Tarjan), each as a list of folders. */
function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return groups;
}

/** One path round a group of folders, each step with an import that makes it. */
function describeCycle(group, edges) {
  const inGroup = new Set(group);
  const start = group[0];
  // Breadth-first from the start back to it, inside the group.
  const previous = new Map();
  const queue = [start];
  let found = null;
  while (queue.length > 0 && !found) {
    const v = queue.shift();
    for (const w of [...(edges.get(v)?.keys() ?? [])].sort()) {
      if (!inGroup.has(w)) continue;
      if (w === start) {
        found = v;
        break;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  const chain = [start];
  for (let v = found; v !== start && v !== undefined; v = previous.get(v)) chain.splice(1, 0, v);
  chain.push(start);
  return chain.slice(0, -1).map((from, i) => {
    const to = chain[i + 1];
    const [a, b] = edges.get(from).get(to);
    return `${from} → ${to} (${a} imports ${b})`;
  });
}

/**
 * Check the import rules of the tree at `root` (its src/, checks/ and views/). Returns the
 * problems as lines; none: the rules hold.
 */
export async function checkImports(root, { dirs = PRODUCT_DIRS } = {}) {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-imports-'));
  try {
    // name in the transpiled tree → the source file people edit
    const original = new Map();
    for (const dir of dirs) {
      for (const file of await sources(root, dir)) {
        const text = await fs.readFile(path.join(root, file), 'utf8');
        let code;
        try {
          ({ code } = await transform(text, { loader: file.endsWith('.tsx') ? 'tsx' : 'ts', format: 'esm', jsx: 'automatic', sourcefile: file }));
        } catch (error) {
          return [`${file}: cannot be read: ${error.message.split('\n')[0]}`];
        }
        const js = file.replace(/\.tsx?$/, '.js');
        original.set(js, file);
        await fs.mkdir(path.dirname(path.join(work, js)), { recursive: true });
        await fs.writeFile(path.join(work, js), code);
      }
    }
    const present = [];
    for (const dir of dirs) if (await fs.stat(path.join(work, dir)).catch(() => null)) present.push(dir);
    if (present.length === 0) return [];
    const previousDir = process.cwd();
    let result;
    try {
      // dependency-cruiser reports paths relative to the working directory.
      process.chdir(work);
      const output = await cruise(present, {
        validate: true,
        ruleSet: { forbidden: RULES },
        outputType: 'json',
        doNotFollow: { path: 'node_modules' },
      });
      result = typeof output.output === 'string' ? JSON.parse(output.output) : output.output;
    } finally {
      process.chdir(previousDir);
    }
    const shown = (file) => original.get(file) ?? file;
    const problems = [];
    for (const v of result.summary.violations) {
      const via = v.cycle?.length ? `: ${[v.from, ...v.cycle.map((c) => c.name ?? c)].map(shown).join(' → ')}` : '';
      problems.push(`${v.rule.name}: ${shown(v.from)} → ${shown(v.to)}${via}`);
    }
    // Folder graph: every import between two folders, with one example import per edge.
    const edges = new Map();
    const launcher = new RegExp(LAUNCHER);
    for (const module of result.modules) {
      if (!original.has(module.source)) continue;
      for (const dep of module.dependencies) {
        if (!original.has(dep.resolved)) continue;
        if (launcher.test(module.source) && dep.resolved.startsWith('views/')) continue;
        const from = folderOf(shown(module.source));
        const to = folderOf(shown(dep.resolved));
        if (from === to) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from).has(to)) edges.get(from).set(to, [shown(module.source), shown(dep.resolved)]);
      }
    }
    for (const group of cycles(edges)) {
      problems.push(`folder cycle: ${group.join(', ')}\n  ${describeCycle(group, edges).join('\n  ')}`);
    }
    return problems;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = await checkImports(root);
  if (problems.length > 0) {
    process.stderr.write(`import rules broken (scripts/check-imports.mjs says why each rule exists):\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('import rules hold: no cycles between folders or modules\n');
}
