// The console is one wing (views/): what may import it, and what it may import, are rules of
// scripts/check-imports.mjs (test/build/imports.test.ts). Here, what it loads: the console's model
// (views/model) and the web dashboard (web/) are plain TypeScript that load neither React nor Ink,
// so another face (imos serve) computes the same rows without the terminal UI; and the console up
// to its first full frame loads neither either. Read off the import statements of the sources.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Import {
  from: string;
  /** Repository-relative path of a relative import (without extension), or the package name. */
  to: string;
  /** `import type …` / `export type …`: erased, loads nothing. */
  typeOnly: boolean;
  /** `await import(…)`: loaded when called, not with the module. */
  lazy: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(path.join(ROOT, file)).isDirectory() ? sources(file) : /\.tsx?$/.test(name) ? [file] : [];
  });
}

const IMPORT = /(?:^|[;\s])(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  // Comments may quote code; strings never hold an import statement in this code base.
  const text = readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[2] ?? m[3])!;
    const to = spec.startsWith('.') ? path.join(path.dirname(file), spec).replace(/\.js$/, '') : spec;
    out.push({ from: file, to, typeOnly: Boolean(m[1]), lazy: m[3] !== undefined });
  }
  return out;
}

/** The file a relative import names (`x.js` is `x.ts` or `x.tsx`). */
function resolve(to: string): string | null {
  for (const ext of ['.ts', '.tsx']) if (statSync(path.join(ROOT, to + ext), { throwIfNoEntry: false })?.isFile()) return to + ext;
  return null;
}

const isPackage = (to: string) => !to.startsWith('src/') && !to.startsWith('views/') && !to.startsWith('checks/') && !to.startsWith('test/');
const packageName = (to: string) => (to.startsWith('@') ? to.split('/').slice(0, 2).join('/') : to.split('/')[0]!);
const ALL = ['src', 'views', 'web', 'checks'].flatMap(sources);
const under = (dir: string) => (file: string) => file.startsWith(`${dir}/`);

/**
 * Everything `files` load at once (type-only and `import()` imports aside), and what among it breaks
 * the rule: a component (.tsx), React or Ink, and with `onlyModel` any of views/ but views/model.
 */
function reactFreeWalk(files: readonly string[], { onlyModel }: { onlyModel: boolean }): { seen: Set<string>; offending: string[] } {
  const seen = new Set<string>();
  const offending: string[] = [];
  const visit = (file: string, via: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (file.endsWith('.tsx')) offending.push([...via, file].join(' → '));
    for (const i of importsOf(file)) {
      if (i.typeOnly || i.lazy) continue;
      if (isPackage(i.to)) {
        const name = packageName(i.to);
        if (name === 'react' || name === 'ink' || name.startsWith('ink-') || name.startsWith('@inkjs/')) offending.push([...via, file, i.to].join(' → '));
        continue;
      }
      if (onlyModel && under('views')(i.to) && !under('views/model')(i.to)) offending.push([...via, file, i.to].join(' → '));
      const next = resolve(i.to);
      if (next) visit(next, [...via, file]);
    }
  };
  for (const file of files) visit(file, []);
  return { seen, offending };
}

describe('the console wing', () => {
  it('views/model and the web dashboard (web/) load neither React nor Ink, nor any component, through everything they import', () => {
    const model = ALL.filter((f) => under('views/model')(f) || under('web')(f)).filter((f) => !/\.test\.tsx?$/.test(f));
    expect(model.length).toBeGreaterThan(5);
    const { seen, offending } = reactFreeWalk(model, { onlyModel: true });
    expect(offending).toEqual([]);
    // The walk went through the engine modules the actions call.
    expect([...seen].some(under('src/alerts'))).toBe(true);
  });

  it('the console up to its first full frame (src/console/first-frame.ts, views/frame.ts) loads neither React nor Ink, nor any component', () => {
    // The launcher loads these lazily, in this order, before the console's screen (full-screen.ts).
    const path_ = ['src/cli/commands/console.ts', 'src/console/skeleton.ts', 'src/console/run.ts', 'src/console/first-frame.ts', 'src/console/mode.ts', 'views/palette.ts'];
    const { seen, offending } = reactFreeWalk(path_, { onlyModel: false });
    expect(offending).toEqual([]);
    // The walk went through the frame and the panes' line builders.
    expect(seen.has('views/frame.ts') && seen.has('views/panes/alerts.ts')).toBe(true);
  });
});
