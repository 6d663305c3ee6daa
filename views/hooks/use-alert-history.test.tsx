import { describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { act, useState } from 'react';
import type { AuditEntry } from '../../src/model.js';
import { useAlertHistory } from './use-alert-history.js';
import { renderAt } from '../testing/render.js';

const ALERT = { id: 'A1', openedAt: '2026-12-05T08:00:00.000Z' };
const ack: AuditEntry = { at: '2026-12-05T08:01:00.000Z', actor: 'luna', action: 'ack', target: 'A1' };
const run: AuditEntry = { at: '2026-12-05T08:05:00.000Z', actor: 'luna', action: 'action-run', target: 'A1', detail: { runId: 'r1' } };
const other: AuditEntry = { at: '2026-12-05T08:06:00.000Z', actor: 'suno', action: 'ack', target: 'A2' };

/** A store whose reads of the audit log answer only when the test says so. */
const pending: Array<(entries: AuditEntry[]) => void> = [];
const store = { readAudit: () => new Promise<AuditEntry[]>((resolve) => pending.push(resolve)) };
let setAudit: (audit: readonly AuditEntry[]) => void = () => undefined;

/** The hook in a console whose recent actions (the audit it holds in memory) the test changes. */
function Probe({ first }: { first: readonly AuditEntry[] }) {
  const [audit, set] = useState(first);
  setAudit = set;
  const history = useAlertHistory(store, ALERT, audit);
  return <Text>{history === null ? 'none' : `[${history.map((e) => `${e.action}@${e.target}`).join(' ')}]`}</Text>;
}

describe('an alert’s history in the console', () => {
  it('shows what the console already holds for the alert while the store is read again', async () => {
    const r = await renderAt(<Probe first={[ack]} />, 80, 5);
    expect(r.frame()).toContain('none'); // until the first read answers, the view model uses the recent actions
    await act(async () => pending.shift()!([ack]));
    await r.waitFor('[ack@A1]');

    // A run ends: the console's recent actions hold it at once, the store is being read again.
    await act(async () => setAudit([ack, run, other]));
    expect(pending).toHaveLength(1);
    expect(await r.waitFor('[ack@A1 action-run@A1]')).not.toContain('A2');

    // The re-read answers with the same run: shown once.
    await act(async () => pending.shift()!([ack, run]));
    await r.settle();
    expect(r.frame()).toContain('[ack@A1 action-run@A1]');
    await r.unmount();
  });
});
