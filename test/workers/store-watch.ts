// Worker: one locked update of core.extra.touchedAt, then prints {"wrote": <epoch ms>}.
// Args: <store path>
import { openStore } from '../../src/store/open.js';

const store = await openStore(process.argv[2]!);
const at = Date.now();
await store.update('core', (data) => {
  data.extra.touchedAt = at;
});
process.stdout.write(JSON.stringify({ wrote: Date.now(), at }) + '\n');
await store.close();
