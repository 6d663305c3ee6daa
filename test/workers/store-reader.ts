// Worker: what a console on another host shows, without the screen: it follows the store (watch),
// and prints its view as one JSON line whenever it changes, and when the store's connection health
// changes: {t, connected, problem, alerts: [{id, state, by}], standups, holder}. While the store
// cannot be reached it keeps showing the last state (as a console does). SIGTERM ends it.
// Args: <store url>
import { openStore } from '../../src/store/open.js';

const store = await openStore(process.argv[2]!);
let last = '';
let reading = false;
let again = false;

async function show(): Promise<void> {
  if (reading) {
    again = true;
    return;
  }
  reading = true;
  try {
    do {
      again = false;
      const health = store.health();
      const [core, lease] = await Promise.all([store.read('core'), store.read('lease')]);
      const view = {
        connected: health.connected,
        problem: health.problem,
        alerts: core.alerts.map((a) => ({ id: a.id, state: a.state, by: a.acknowledgedBy })),
        standups: core.standups.length,
        holder: lease.holder?.host ?? null,
      };
      const text = JSON.stringify(view);
      if (text !== last) {
        last = text;
        process.stdout.write(JSON.stringify({ t: Date.now(), ...view }) + '\n');
      }
    } while (again);
  } catch (error) {
    process.stdout.write(JSON.stringify({ t: Date.now(), error: String(error).slice(0, 300) }) + '\n');
  } finally {
    reading = false;
  }
}

store.watch(() => void show());
// Health changes are watched too; this catches a drop that no section change announced.
const timer = setInterval(() => void show(), 250);
await show();
process.once('SIGTERM', () => {
  clearInterval(timer);
  void store.close().then(() => process.exit(0));
});
