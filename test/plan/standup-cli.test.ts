import { promises as fs } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { addStandup, listStandups, resolveStandupBlocker } from '../../src/cli/commands/standup.js';
import { runImos } from '../helpers/cli.js';
import { makeWorkspace, type Workspace } from './workspace.js';

let ws: Workspace | null = null;
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

describe('imos standup (command logic, driven clock)', () => {
  it('adds, replaces with history, lists with missing systems and open blockers', async () => {
    ws = await makeWorkspace({ now: '2025-01-29T01:30:00Z' }); // Wednesday 10:30 Tokyo
    await addStandup(ws.ctx('luna'), { system: 'hotel-pms', done: 'rooms', next: 'reservations', blocker: ['need DB credentials'], blockerOn: ['system:hotel-common'] });
    await addStandup(ws.ctx('luna'), { system: 'hotel-pms', done: 'rooms, guests', next: 'reservations', blocker: ['need DB credentials'], blockerOn: ['system:hotel-common'] });
    expect(ws.output).toEqual([
      'saved the 2025-01-29 standup of hotel-pms (by luna)\n  new blocker B1: need DB credentials',
      'replaced the 2025-01-29 standup of hotel-pms (by luna)',
    ]);
    ws.output.length = 0;
    await listStandups(ws.ctx(), { json: true });
    const list = JSON.parse(ws.output[0]!);
    expect(list.date).toBe('2025-01-29');
    expect(list.standups).toHaveLength(1);
    expect(list.standups[0]).toMatchObject({ system: 'hotel-pms', done: 'rooms, guests', author: 'luna' });
    expect(list.standups[0].history).toHaveLength(1);
    expect(list.missing.map((m: { system: string }) => m.system)).toEqual(['hotel-common', 'hotel-member', 'hotel-saas']);
    expect(list.blockers).toEqual([expect.objectContaining({ id: 'B1', system: 'hotel-pms', waitsOn: { kind: 'system', id: 'hotel-common' } })]);
    const audit = await ws.store.readAudit();
    expect(audit.map((a) => [a.action, a.target, a.actor])).toEqual([
      ['standup', 'hotel-pms', 'luna'],
      ['standup', 'hotel-pms', 'luna'],
    ]);
    // Times in the project's timezone (Tokyo), like the day itself.
    ws.output.length = 0;
    await listStandups(ws.ctx(), {});
    expect(ws.output.join('\n')).toContain('hotel-pms — luna at 10:30 (edited 1×)');
    ws.output.length = 0;
    await resolveStandupBlocker(ws.ctx('manager'), 'B1', 'sent');
    expect(ws.output).toEqual(['resolved B1: need DB credentials']);
    await expect(resolveStandupBlocker(ws.ctx('manager'), 'B1')).rejects.toMatchObject({ exitCode: 1 });
  });

  it('lists a stored entry written elsewhere without its terminal controls', async () => {
    ws = await makeWorkspace({ now: '2025-01-29T01:30:00Z' });
    await addStandup(ws.ctx('luna'), { system: 'hotel-pms', done: 'rooms', next: 'guests' });
    await ws.store.transact('core', (tx) => {
      tx.edit('standups', tx.all('standups')[0]!.id).author = 'luna\u001b]0;owned\u0007\u001b[2J';
    });
    ws.output.length = 0;
    await listStandups(ws.ctx(), {});
    expect(ws.output.join('\n')).toContain('hotel-pms — luna at ');
    expect(ws.output.join('\n')).not.toMatch(/[\u001b\u0007]/);
  });

  it('refuses bad input with a usage error naming the field, storing nothing', async () => {
    ws = await makeWorkspace();
    await expect(addStandup(ws.ctx(), { system: 'hotel-pms', done: '', next: 'x' })).rejects.toMatchObject({
      exitCode: 64,
      message: 'standup not saved: done: required',
    });
    await expect(addStandup(ws.ctx(), { system: 'hotel-pms', done: 'a', next: 'b', blocker: ['x'], blockerOn: ['task:T99'] })).rejects.toMatchObject({
      exitCode: 64,
      message: 'standup not saved: blockers[0].waitsOn: unknown task "T99"',
    });
    await expect(addStandup(ws.ctx(), { system: 'hotel-pms', done: 'a', next: 'b', blockerOn: ['system:hotel-common'] })).rejects.toMatchObject({ exitCode: 64 });
    await expect(listStandups(ws.ctx(), { date: '2025-02-30' })).rejects.toMatchObject({ exitCode: 64 });
    expect((await ws.store.read('core')).standups).toEqual([]);
    expect(await ws.store.readAudit()).toEqual([]);
  });
});

describe('imos standup (the real binary)', () => {
  it('replacing someone else’s standup says whose it was; the history keeps both', async () => {
    ws = await makeWorkspace();
    const config = ['--config', ws.configFile];
    const first = await runImos([...config, '--as', 'luna', 'standup', 'add', '--system', 'hotel-pms', '--done', 'rooms', '--next', 'guests']);
    expect(first.exitCode).toBe(0);
    const second = await runImos([...config, '--as', 'manager', 'standup', 'add', '--system', 'hotel-pms', '--done', 'rooms, rates', '--next', 'guests']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^replaced the \d{4}-\d{2}-\d{2} standup of hotel-pms \(by manager\); it replaces the one luna entered at \d\d:\d\d, kept in its history$/m);
    const list = JSON.parse((await runImos([...config, 'standup', 'list', '--json'])).stdout);
    expect(list.standups[0]).toMatchObject({ author: 'manager', done: 'rooms, rates' });
    expect(list.standups[0].history).toEqual([expect.objectContaining({ author: 'luna', done: 'rooms' })]);
    const audit = await ws.store.readAudit();
    expect(audit.at(-1)!.detail).toMatchObject({ replaced: true, previousAuthor: 'luna' });
  });

  it('flags a name that is not in people, and refuses it when the workspace says so', async () => {
    ws = await makeWorkspace();
    const config = ['--config', ws.configFile];
    const add = ['standup', 'add', '--system', 'hotel-pms', '--done', 'rooms', '--next', 'guests'];
    const unknown = await runImos([...config, '--as', 'visitor', ...add]);
    expect(unknown.exitCode).toBe(0);
    expect(unknown.stderr).toContain('imos: warning: acting as "visitor", who is not in people (manager, owner, suno, luna, sun)');
    expect(unknown.stdout).toContain('(by visitor)');
    // A JSON reader still gets JSON on stdout.
    const json = await runImos([...config, '--as', 'visitor', ...add, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ author: 'visitor' });
    expect(json.stderr).toContain('not in people');
    // A person of the config, by id or by name: no flag.
    const known = await runImos([...config, '--as', 'Luna', ...add]);
    expect(known.stderr).toBe('');

    await fs.appendFile(ws.configFile, 'identity:\n  unknown_actors: refuse\n');
    const before = (await ws.store.read('core')).standups[0]!.history.length;
    const refused = await runImos([...config, '--as', 'visitor', ...add]);
    expect(refused.exitCode).toBe(64);
    expect(refused.stderr).toContain('"visitor" is not in people');
    expect(refused.stderr).toContain('identity.unknown_actors: refuse');
    expect((await ws.store.read('core')).standups[0]!.history.length).toBe(before);
    const ack = await runImos([...config, '--as', 'visitor', 'ack', 'A1']);
    expect(ack.exitCode).toBe(64);
    expect(ack.stderr).toContain('"visitor" is not in people');
  });

  it('adds a standup with a blocker and lists it as JSON; bad input exits 64', async () => {
    ws = await makeWorkspace();
    const config = ['--config', ws.configFile];
    const add = await runImos([...config, '--as', 'sun', 'standup', 'add', '--system', 'hotel-saas', '--done', 'service_orders 設計', '--next', 'order_items', '--blocker', 'スキーマ待ち', '--blocker-on', 'task:T3']);
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toMatch(/^saved the \d{4}-\d{2}-\d{2} standup of hotel-saas \(by sun\)\n  new blocker B1: スキーマ待ち$/);
    const list = await runImos([...config, 'standup', 'list', '--json']);
    expect(list.exitCode).toBe(0);
    const parsed = JSON.parse(list.stdout);
    expect(parsed.standups).toEqual([
      expect.objectContaining({ system: 'hotel-saas', author: 'sun', done: 'service_orders 設計', blockers: [expect.objectContaining({ id: 'B1', waitsOn: { kind: 'task', id: 'T3' } })] }),
    ]);
    const bad = await runImos([...config, 'standup', 'add', '--system', 'hotel-nope', '--done', 'a', '--next', 'b']);
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toContain('system: unknown system "hotel-nope"');
    const text = await runImos([...config, 'matrix']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('85% (11/13 tables)');
  });

  it('gives each --blocker-on to the --blocker just before it', async () => {
    ws = await makeWorkspace();
    const config = ['--config', ws.configFile, '--as', 'luna'];
    // "a" waits on nothing, "b" on hotel-common: by position, hotel-common went to "a".
    const add = await runImos([...config, 'standup', 'add', '--system', 'hotel-pms', '--done', 'd', '--next', 'n', '--blocker', 'a', '--blocker', 'b', '--blocker-on', 'system:hotel-common', '--blocker', 'c', '--blocker-on', 'task:T3']);
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    const blockers = (await ws.store.read('core')).standups[0]!.blockers.map((b) => [b.text, b.waitsOn]);
    expect(blockers).toEqual([
      ['a', null],
      ['b', { kind: 'system', id: 'hotel-common' }],
      ['c', { kind: 'task', id: 'T3' }],
    ]);
    const early = await runImos([...config, 'standup', 'add', '--system', 'hotel-saas', '--done', 'd', '--next', 'n', '--blocker-on', 'system:hotel-common', '--blocker', 'a']);
    expect(early.exitCode).toBe(64);
    expect(early.stderr).toContain('--blocker-on system:hotel-common comes before any --blocker');
    const twice = await runImos([...config, 'standup', 'add', '--system', 'hotel-saas', '--done', 'd', '--next', 'n', '--blocker', 'a', '--blocker-on', 'system:hotel-common', '--blocker-on', 'task:T3']);
    expect(twice.exitCode).toBe(64);
    expect(twice.stderr).toContain('--blocker "a" has two --blocker-on');
    expect((await ws.store.read('core')).standups.map((s) => s.system)).toEqual(['hotel-pms']);
  });

  it('strips terminal controls from --as before printing and storing it', async () => {
    ws = await makeWorkspace();
    const hostile = 'sun\u001b]0;owned\u0007\u001b[2J\u202e\u009b31m';
    const add = await runImos(['--config', ws.configFile, '--as', hostile, 'standup', 'add', '--system', 'hotel-saas', '--done', 'a', '--next', 'b']);
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toMatch(/\(by sun\)$/);
    const list = await runImos(['--config', ws.configFile, 'standup', 'list']);
    expect(list.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    expect(list.stdout).toContain('sun');
    expect((await ws.store.read('core')).standups[0]!.author).toBe('sun');
    expect((await ws.store.readAudit()).map((a) => a.actor)).toEqual(['sun']);
  });
});
