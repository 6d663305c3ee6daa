// `imos init` on a terminal (tmux): the questions, and Ctrl-C / Ctrl-D at a prompt, which write
// nothing and end with one line, not a stack trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/imos.js');
const SOCKET = `imos-init-${process.pid}`;
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();
const dirs: string[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

async function waitForPane(session: string, text: string): Promise<string> {
  const until = Date.now() + CLI_HANG_MS;
  for (let i = 0; ; i++) {
    const screen = tmux('capture-pane', '-p', '-t', session);
    if (screen.includes(text)) return screen;
    if (Date.now() > until || i > 1000) throw new Error(`timed out waiting for ${text} in ${session}:\n${screen}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startInit(session: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'imos-init-tty-'));
  dirs.push(dir);
  const command = `env -u CI TERM=xterm-256color ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} init; echo EXITED-$?; sleep 30`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', dir, command);
  return dir;
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('imos init on a terminal', () => {
  for (const [key, code] of [['C-c', 130], ['C-d', 1]] as const) {
    it(`${key} at the first question writes nothing and exits ${code} with one line`, async () => {
      const session = `cancel${key}`;
      const dir = startInit(session);
      await waitForPane(session, 'Project name [');
      tmux('send-keys', '-t', session, key);
      const screen = await waitForPane(session, 'EXITED-');
      expect(screen).toContain('imos: init cancelled: nothing written');
      expect(screen).toContain(`EXITED-${code}`);
      expect(screen).not.toMatch(/AbortError|    at /);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});
