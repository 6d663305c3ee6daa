// Worker: a short-lived process on the PostgreSQL store, as a one-shot command is: opens the store
// named by the URL, adds one to core kv `n`, prints the new value, closes, and must then exit by
// itself (no connection, listener or timer left behind). Args: <store url>
import { openStore } from '../../src/store/open.js';

const [url] = process.argv.slice(2);
const store = await openStore(url!);
const value = await store.transact('core', (tx) => {
  const next = ((tx.get('kv', 'n')?.value as number | undefined) ?? 0) + 1;
  tx.put('kv', { key: 'n', value: next });
  return next;
});
await store.close();
process.stdout.write(`${value}\n`);
