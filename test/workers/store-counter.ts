// Worker: N increments of the named value "counter", as fast as it can, each a transaction with an
// audit entry. Prints one JSON line at the end: {"done": N, "ms": total}. Args: <store path> <count>
import { openStore } from '../../src/store/open.js';

const [storePath, countText] = process.argv.slice(2);
const count = Number(countText);
const store = await openStore(storePath!, { lock: { staleMs: 2000 } });
const started = performance.now();
for (let i = 0; i < count; i++) {
  await store.transact('core', (tx) => {
    const next = ((tx.get('kv', 'counter')?.value as number | undefined) ?? 0) + 1;
    tx.put('kv', { key: 'counter', value: next });
    tx.audit({ at: new Date().toISOString(), actor: `pid-${process.pid}`, action: 'count', target: 'counter', detail: { value: next } });
  });
}
const ms = performance.now() - started;
await store.close();
process.stdout.write(JSON.stringify({ done: count, ms }) + '\n');
