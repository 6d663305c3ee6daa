// Worker: appends its sequence numbers to the named value "w:<id>" of the core section, one
// transaction each with an audit entry, and prints "wrote <id> <seq> <ms>" only after the
// transaction resolved (so whatever it printed must be stored). With "announce" it also prints
// "in <id> <seq>" from inside the locked section, right before the write (then lingers there `hold`
// ms), so a test can kill or stop it mid-commit. A failed transaction prints
// "failed <id> <seq> <message>" and exits 3. Runs until killed or `max` transactions.
// Args: <store path> <id> <pause ms> <max> [announce] [hold ms]
import { JsonStore } from '../../src/store/json-store.js';

const [storePath, id, pauseText, maxText, mode, holdText] = process.argv.slice(2);
const pause = Number(pauseText ?? 0);
const max = Number(maxText ?? 1000);
const announce = mode === 'announce';
const hold = Number(holdText ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;
const store = new JsonStore(storePath!, {
  lock: { staleMs: 2000 },
  beforeWrite: announce
    ? async () => {
        process.stdout.write(`in ${id} ${seq}\n`);
        if (hold > 0) await sleep(hold);
      }
    : undefined,
});
const key = `w:${id}`;
process.stdout.write(`ready ${id}\n`);
for (seq = 1; seq <= max; seq++) {
  try {
    await store.transact('core', (tx) => {
      const list = (tx.get('kv', key)?.value as number[] | undefined) ?? [];
      tx.put('kv', { key, value: [...list, seq] });
      tx.audit({ at: new Date().toISOString(), actor: id!, action: 'write', target: key, detail: { seq } });
    });
  } catch (error) {
    process.stdout.write(`failed ${id} ${seq} ${(error as Error).message}\n`);
    process.exit(3);
  }
  process.stdout.write(`wrote ${id} ${seq} ${Date.now()}\n`);
  if (pause > 0) await sleep(pause);
}
await store.close();
process.stdout.write(`finished ${id}\n`);
