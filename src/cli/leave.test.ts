import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { leaveWhenWritten } from './leave.js';

/** A real stream whose writes complete only when `release()` is called (a slow reader). */
function slowOutput() {
  const pending: Array<() => void> = [];
  const stream = new Writable({ highWaterMark: 4, write: (_chunk, _encoding, done) => void pending.push(done) });
  return { stream, release: () => pending.splice(0).forEach((done) => done()) };
}

describe('leaveWhenWritten', () => {
  const exitCodeBefore = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCodeBefore;
  });

  it('leaves at once when nothing is waiting to be written', () => {
    const exits: number[] = [];
    leaveWhenWritten(2, [new Writable({ write: (_c, _e, done) => done() })], (code) => exits.push(code));
    expect(exits).toEqual([2]);
  });

  it('gives a failed write a turn of the event loop to be reported before leaving', async () => {
    const failing = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const events: string[] = [];
    failing.on('error', (error: NodeJS.ErrnoException) => events.push(`error ${error.code}`));
    failing.write('rows');
    leaveWhenWritten(0, [failing], (code) => events.push(`exit ${code}`));
    expect(events).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['error EPIPE', 'exit 0']);
  });

  it('waits until every output has handed over what was written, then leaves once', async () => {
    const out = slowOutput();
    const err = slowOutput();
    out.stream.write('a table of 10,000 rows');
    err.stream.write('imos: a warning');
    const exits: number[] = [];
    leaveWhenWritten(1, [out.stream, err.stream], (code) => exits.push(code));
    expect(exits).toEqual([]);
    expect(process.exitCode).toBe(1);
    out.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]); // stderr still holds its line
    err.release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1]);
  });

  it('leaves when a waiting output is closed instead (the reader went away)', async () => {
    const out = slowOutput();
    out.stream.write('rows');
    const exits: number[] = [];
    leaveWhenWritten(0, [out.stream], (code) => exits.push(code));
    out.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
  });
});
