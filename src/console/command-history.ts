// The console's `:` lines, kept across sessions: one small file per person beside the store (in a
// JSON store's directory, `<base>.commands-<actor>.txt`; for a PostgreSQL store in
// ~/.local/state/imos/), the newest last, at most 200 lines. A file that cannot be read or written
// costs the history only: never the console. The directory is never created here.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sanitizeLine } from '../text/sanitize.js';
import { storePaths } from '../store/paths.js';

export const HISTORY_LINES = 200;

/** Where `actor`'s history is kept for the store at `store` (a path or a postgres:// URL). */
export function historyFile(store: string, actor: string): string {
  const who = actor.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').slice(0, 40) || 'unknown';
  if (/^postgres(ql)?:\/\//.test(store)) return path.join(os.homedir(), '.local', 'state', 'imos', `commands-${who}.txt`);
  const paths = storePaths(store);
  const base = path.basename(paths.sections.core.snapshot).replace(/\.json$/i, '');
  return path.join(paths.dir, `${base}.commands-${who}.txt`);
}

export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => sanitizeLine(l, 500))
      .filter(Boolean)
      .slice(-HISTORY_LINES);
  } catch {
    return [];
  }
}

/** Add a line; the file is rewritten to its last lines once it grows past twice the limit. */
export function appendHistory(file: string, line: string): void {
  const clean = sanitizeLine(line, 500);
  if (!clean) return;
  try {
    appendFileSync(file, clean + '\n', { flag: 'a' });
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (lines.length > HISTORY_LINES * 2) writeFileSync(file, lines.slice(-HISTORY_LINES).join('\n') + '\n');
  } catch {
    // no history this time (a read-only directory, a removed workspace): the console goes on
  }
}
