// The JSON store under contention, with real processes: 8 processes acting at once, every action
// exactly once in the store and in the audit log.
import { describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/store/json-store.js';
import { useWorkerStore } from '../helpers/build-worker.js';

const COUNTER = 'test/workers/store-counter.ts';
const processes = useWorkerStore('imos-faults-contention-', [COUNTER]);

describe('the JSON store under contention', () => {
  it('8 processes acting at once: every action exactly once in the store and in the audit log', async () => {
    const each = 150;
    const from = Date.now();
    const workers = await Promise.all(Array.from({ length: 8 }, () => processes.start(COUNTER, [processes.storePath, String(each)])));
    const results = await Promise.all(workers.map((w) => w.exited));
    for (const [i, result] of results.entries()) expect(result.code, workers[i]!.stderr()).toBe(0);
    const store = new JsonStore(processes.storePath);
    const total = 8 * each;
    const counter = (await store.read('core')).kv.get('counter');
    const values = (await store.readAudit()).filter((e) => e.action === 'count').map((e) => e.detail!.value as number);
    await store.close();
    console.info(`8 processes: ${total} actions in ${Math.round((Date.now() - from) / 1000)} s; counter ${String(counter)}, ${values.length} audit entries, ${new Set(values).size} distinct`);
    expect(counter).toBe(total);
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  }, 300_000);
});
