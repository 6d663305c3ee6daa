import { EventEmitter } from 'node:events';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, enterTerminal, signalExitCode } from './terminal.js';

function fakeProcess() {
  const proc = new EventEmitter() as EventEmitter & { stdin: { isTTY: boolean; isRaw: boolean; setRawMode(v: boolean): void } };
  proc.stdin = { isTTY: true, isRaw: true, setRawMode(v: boolean) { this.isRaw = v; } };
  return proc;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function terminalFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'imos-term-'));
  made.push(dir);
  const file = path.join(dir, 'tty');
  const fd = openSync(file, 'w');
  return { file, fd, read: () => readFileSync(file, 'utf8'), close: () => closeSync(fd) };
}

describe('enterTerminal', () => {
  it('enters the alternate screen and restores it once on quit', () => {
    const t = terminalFile();
    const proc = fakeProcess();
    const session = enterTerminal({ fd: t.fd, onSignal: () => {}, proc: proc as unknown as NodeJS.Process });
    expect(t.read()).toBe(ENTER_ALT_SCREEN);
    expect(session.active()).toBe(true);
    session.restore();
    session.restore();
    expect(session.active()).toBe(false);
    expect(t.read()).toBe(ENTER_ALT_SCREEN + LEAVE_ALT_SCREEN);
    expect(proc.stdin.isRaw).toBe(false);
    expect(proc.listenerCount('SIGTERM')).toBe(0);
    t.close();
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`restores the terminal on ${signal} before handing over`, () => {
      const t = terminalFile();
      const proc = fakeProcess();
      const seen: string[] = [];
      const session = enterTerminal({
        fd: t.fd,
        onSignal: (s) => seen.push(`${s}:${t.read().endsWith(LEAVE_ALT_SCREEN)}:${session.active()}`),
        proc: proc as unknown as NodeJS.Process,
      });
      proc.emit(signal);
      // Restored, and no longer drawn on, before the console is told (it then unmounts Ink).
      expect(seen).toEqual([`${signal}:true:false`]);
      t.close();
    });
  }

  it('restores the terminal on a crash and on exit', () => {
    const t = terminalFile();
    const proc = fakeProcess();
    const errors: unknown[] = [];
    enterTerminal({ fd: t.fd, onSignal: (_s, e) => errors.push(e), proc: proc as unknown as NodeJS.Process });
    proc.emit('uncaughtException', new Error('boom'));
    expect(t.read().endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    expect(errors).toHaveLength(1);
    const t2 = terminalFile();
    const proc2 = fakeProcess();
    enterTerminal({ fd: t2.fd, onSignal: () => {}, proc: proc2 as unknown as NodeJS.Process });
    proc2.emit('exit');
    expect(t2.read().endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    t.close();
    t2.close();
  });

  it('a write or read failing with EIO (the terminal went away) is a hangup, not a crash; a later signal is not fatal', () => {
    const t = terminalFile();
    const proc = fakeProcess();
    const seen: string[] = [];
    enterTerminal({ fd: t.fd, onSignal: (s) => seen.push(String(s)), proc: proc as unknown as NodeJS.Process });
    proc.emit('uncaughtException', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    expect(seen).toEqual(['SIGHUP']);
    // Still ours while the console stops: the SIGHUP that follows must not kill it first.
    expect(proc.listenerCount('SIGHUP')).toBe(1);
    proc.emit('SIGHUP');
    proc.emit('uncaughtException', new Error('boom'));
    expect(seen).toEqual(['SIGHUP']);
    t.close();
  });

  it('uses 128 + the signal number as the exit code', () => {
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGTERM')).toBe(143);
    expect(signalExitCode('SIGHUP')).toBe(129);
    expect(signalExitCode('crash')).toBe(1);
  });
});
