import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';
import { commandHint, completeLine, recall, remember } from './command-line.js';

const values = { alert: ['A1', 'A12', 'A3'], 'matrix-item': ['T3', 'T4', 'hotel-pms', 'hotel-saas', 'service_orders'] };

describe('the : line', () => {
  it('Tab completes a command, an alert id, a matrix item (system, task), a status and a duration', () => {
    expect(completeLine('ac', COMMANDS, values)).toEqual({ text: 'ack ', options: [] });
    expect(completeLine('s', COMMANDS, values)).toEqual({ text: 's', options: ['snooze', 'set', 'standup'] });
    expect(completeLine('sn', COMMANDS, values).text).toBe('snooze ');
    expect(completeLine('ack a', COMMANDS, values)).toEqual({ text: 'ack A', options: ['A1', 'A12', 'A3'] });
    expect(completeLine('ack A1', COMMANDS, values)).toEqual({ text: 'ack A1', options: ['A1', 'A12'] });
    expect(completeLine('ack a3', COMMANDS, values)).toEqual({ text: 'ack A3 ', options: [] });
    expect(completeLine('set hot', COMMANDS, values)).toEqual({ text: 'set hotel-', options: ['hotel-pms', 'hotel-saas'] });
    expect(completeLine('set t3', COMMANDS, values).text).toBe('set T3 ');
    expect(completeLine('set T3 in', COMMANDS, values).text).toBe('set T3 in progress ');
    expect(completeLine('snooze A1 2', COMMANDS, values).text).toBe('snooze A1 2h ');
    // A note is free text: nothing to complete.
    expect(completeLine('ack A1 lo', COMMANDS, values)).toEqual({ text: 'ack A1 lo', options: [] });
    expect(completeLine('zz', COMMANDS, values)).toEqual({ text: 'zz', options: [] });
  });

  it('↑/↓ walk the history and come back to the line being typed', () => {
    const history = ['ack A1', 'set T4 done'];
    let at: number | null = null;
    let shown = recall(history, at, 'sn', -1);
    expect(shown).toEqual({ at: 1, text: 'set T4 done' });
    shown = recall(history, shown.at, 'sn', -1);
    expect(shown).toEqual({ at: 0, text: 'ack A1' });
    expect(recall(history, shown.at, 'sn', -1)).toEqual({ at: 0, text: 'ack A1' });
    shown = recall(history, 0, 'sn', 1);
    expect(shown).toEqual({ at: 1, text: 'set T4 done' });
    expect(recall(history, 1, 'sn', 1)).toEqual({ at: null, text: 'sn' });
    expect(recall([], at, 'x', -1)).toEqual({ at: null, text: 'x' });
    expect(remember(['a', 'b', 'a2'], 'a')).toEqual(['b', 'a2', 'a']);
    expect(remember(['a'], '  ')).toEqual(['a']);
    expect(remember(Array.from({ length: 5 }, (_, i) => `l${i}`), 'new', 3)).toEqual(['l3', 'l4', 'new']);
  });

  it('hints what the line takes as it is typed', () => {
    expect(commandHint('', COMMANDS)).toContain('Tab completes');
    expect(commandHint('snooze A1', COMMANDS)).toBe(':snooze ID DURATION — Snooze (30m, 2h)');
    expect(commandHint('s', COMMANDS)).toBe(':snooze  :set  :standup   (Tab completes)');
    expect(commandHint('frob', COMMANDS)).toBe('no command ":frob" — :help lists them');
  });
});
