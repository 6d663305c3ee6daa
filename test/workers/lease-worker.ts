// Worker: competes for the poller lease and reports what it believes every `sample` ms:
// {"t": epoch ms, "pid": …, "holding": bool}. SIGTERM stops the lease (releasing it) and exits.
// Args: <store path> <role> <sample ms> [<ttl ms>]
import { PollerLease } from '../../src/engine/lease.js';
import { openStore } from '../../src/store/open.js';

const [storePath, role, sampleText, ttlText] = process.argv.slice(2);
const store = await openStore(storePath!, { lock: { staleMs: 2000 } });
const lease = new PollerLease(store, {
  role: role ?? 'test',
  ...(ttlText ? { ttlMs: Number(ttlText) } : {}),
  onError: (error) => process.stderr.write(`lease error: ${String(error)}\n`),
});
const say = (value: object) => process.stdout.write(JSON.stringify({ t: Date.now(), pid: process.pid, ...value }) + '\n');
lease.onChange((holding) => say({ event: 'change', holding }));
lease.start();
const sampler = setInterval(() => say({ holding: lease.isHolder() }), Number(sampleText ?? 20));
process.once('SIGTERM', () => {
  clearInterval(sampler);
  void lease.stop().then(async () => {
    say({ event: 'stopped', holding: lease.isHolder() });
    await store.close();
    process.exit(0);
  });
});
