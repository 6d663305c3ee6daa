// Worker: N locked increments of core.extra.counter, as fast as it can. Prints one JSON line at
// the end: {"done": N, "ms": total}. Args: <store path> <count>
import { openStore } from '../../src/store/open.js';

const [storePath, countText] = process.argv.slice(2);
const count = Number(countText);
const store = await openStore(storePath!, { lock: { staleMs: 2000 } });
const started = performance.now();
for (let i = 0; i < count; i++) {
  await store.update('core', (data) => {
    data.extra.counter = ((data.extra.counter as number | undefined) ?? 0) + 1;
  });
}
const ms = performance.now() - started;
await store.close();
process.stdout.write(JSON.stringify({ done: count, ms }) + '\n');
