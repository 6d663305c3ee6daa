// A snapshot is written a record at a time (journal.ts snapshotPieces): the pieces make exactly the
// text the whole-object serialisation makes, checksum included, indented (core) or compact (and
// ASCII: characters beyond it escaped).
import { describe, expect, it } from 'vitest';
import { serializeSnapshot, snapshotPieces } from './journal.js';
import { isSealed, seal } from './seal.js';
import { emptyChangeSet, SectionState } from './state.js';
import { alertRecord, outboxRecord } from './testing/records.js';
import { STORE_VERSION } from './types.js';

const escaped = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const whole = (section: 'core' | 'results', generation: number, state: SectionState) => {
  const json = JSON.stringify({ version: STORE_VERSION, section, generation, seq: state.seq, ...state.dump() }, null, section === 'core' ? 2 : undefined);
  return seal(section === 'core' ? json : escaped(json)) + '\n';
};

describe('snapshot pieces', () => {
  it('make the text of the whole section, sealed, for an indented and a compact section, empty collections included', () => {
    const core = new SectionState('core');
    expect([...snapshotPieces('core', 1, core)].join('')).toBe(whole('core', 1, core));
    core.apply(
      {
        ...emptyChangeSet('core'),
        put: {
          alerts: [alertRecord('A1', { message: 'ünïcode “quotes” \\ and\nnewline', value: { nested: [1, { deep: [] }], empty: {} } as never }), alertRecord('A2')],
          outbox: [outboxRecord('N1')],
          kv: [{ key: 'nextAlertNumber', value: 3 }],
        },
      },
      7,
    );
    const pieces = [...snapshotPieces('core', 4, core)];
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.join('')).toBe(whole('core', 4, core));
    expect(serializeSnapshot('core', 4, core)).toBe(whole('core', 4, core));
    expect(isSealed(pieces.join(''))).toBe(true);

    const results = new SectionState('results');
    results.apply({ ...emptyChangeSet('results'), put: { checks: [{ id: 'a', last: null, failures: 2, successes: 0, status: 'CRITICAL', since: '2026-01-05T00:00:00.000Z' }] } }, 3);
    expect([...snapshotPieces('results', 2, results)].join('')).toBe(whole('results', 2, results));
    expect(isSealed(serializeSnapshot('results', 2, results))).toBe(true);

    // A compact section is written in ASCII, and reads back as it was.
    const message = '200 OK in 505 ms — expected latency < 500ms 🚨 東京 "q" \\';
    results.apply({ ...emptyChangeSet('results'), put: { checks: [{ id: 'b', last: { message } as never, failures: 1, successes: 0, status: 'ok', since: null } as never] } }, 4);
    const text = serializeSnapshot('results', 3, results);
    expect(text).toBe(whole('results', 3, results));
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    expect(isSealed(text)).toBe(true);
    expect((JSON.parse(text) as { checks: Array<{ last: { message: string } | null }> }).checks[1]!.last!.message).toBe(message);
    // The core section stays as people read it.
    expect(serializeSnapshot('core', 4, core)).toContain('“quotes”');
  });
});
