// The console is one wing (views/): the engine side (src/) never imports it, except the launcher
// (src/console) that the CLI loads lazily; and the console's model (views/model) is plain
// TypeScript that loads neither React nor Ink, so another face (imos serve) can compute the same
// rows without the terminal UI. These rules are read off the import statements of the sources.
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

describe('the console wing', () => {
  it('src/ imports views/ only in the launcher (src/console)', () => {
    const crossing = ALL.filter(under('src'))
      .flatMap(importsOf)
      .filter((i) => under('views')(i.to));
    expect(crossing.filter((i) => !under('src/console')(i.from))).toEqual([]);
    // The launcher does use the wing: the check above reads real imports.
    expect(crossing.length).toBeGreaterThan(0);
  });

  it('views/ never imports the launcher: the wing does not depend on how a terminal is set up', () => {
    expect(ALL.filter(under('views')).flatMap(importsOf).filter((i) => under('src/console')(i.to))).toEqual([]);
  });

  it('the launcher is loaded lazily: outside src/console nothing imports it at start-up', () => {
    const eager = ALL.filter((f) => !under('src/console')(f))
      .flatMap(importsOf)
      .filter((i) => under('src/console')(i.to) && !i.lazy && !i.typeOnly);
    expect(eager).toEqual([]);
  });

  it('views/model and the web dashboard (web/) load neither React nor Ink, nor any component, through everything they import', () => {
    const model = ALL.filter((f) => under('views/model')(f) || under('web')(f)).filter((f) => !/\.test\.tsx?$/.test(f));
    expect(model.length).toBeGreaterThan(5);
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
        if (under('views')(i.to) && !under('views/model')(i.to)) offending.push([...via, file, i.to].join(' → '));
        const next = resolve(i.to);
        if (next) visit(next, [...via, file]);
      }
    };
    for (const file of model) visit(file, []);
    expect(offending).toEqual([]);
    // The walk went through the engine modules the actions call.
    expect([...seen].some(under('src/alerts'))).toBe(true);
  });

  it('the console up to its first full frame (src/console/first-frame.ts, views/frame.ts) loads neither React nor Ink, nor any component', () => {
    // The launcher loads these lazily, in this order, before the console's screen (full-screen.ts).
    const path_ = ['src/cli/commands/console.ts', 'src/console/skeleton.ts', 'src/console/run.ts', 'src/console/first-frame.ts', 'src/console/mode.ts', 'views/palette.ts'];
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
        const next = resolve(i.to);
        if (next) visit(next, [...via, file]);
      }
    };
    for (const file of path_) visit(file, []);
    expect(offending).toEqual([]);
    // The walk went through the frame and the panes' line builders.
    expect(seen.has('views/frame.ts') && seen.has('views/panes/alerts.ts')).toBe(true);
  });
});
