// Worker: one transaction setting the named value "touchedAt", then prints {"wrote": <epoch ms>}.
// Args: <store path>
import { openStore } from '../../src/store/open.js';

const store = await openStore(process.argv[2]!);
const at = Date.now();
await store.transact('core', (tx) => void tx.put('kv', { key: 'touchedAt', value: at }));
process.stdout.write(JSON.stringify({ wrote: Date.now(), at }) + '\n');
await store.close();
