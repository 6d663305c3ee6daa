// Worker: appends its sequence numbers to core.extra["w:<id>"], one locked update each, and
// prints "wrote <id> <seq>" only after the update resolved (so whatever it printed must be on
// disk). With "announce" it also prints "in <id> <seq>" from inside the locked section (then
// lingers there `hold` ms), so a test can kill or stop it mid-update. A failed update prints
// "failed <id> <seq> <message>" and exits 3. Runs until killed or `max` updates.
// Args: <store path> <id> <pause ms> <max> [announce] [hold ms]
import { openStore } from '../../src/store/open.js';

const [storePath, id, pauseText, maxText, mode, holdText] = process.argv.slice(2);
const pause = Number(pauseText ?? 0);
const max = Number(maxText ?? 1000);
const announce = mode === 'announce';
const hold = Number(holdText ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const store = await openStore(storePath!, { lock: { staleMs: 2000 } });
const key = `w:${id}`;
process.stdout.write(`ready ${id}\n`);
for (let seq = 1; seq <= max; seq++) {
  try {
    await store.update('core', async (data) => {
      const list = (data.extra[key] as number[] | undefined) ?? [];
      list.push(seq);
      data.extra[key] = list;
      if (announce) {
        process.stdout.write(`in ${id} ${seq}\n`);
        if (hold > 0) await sleep(hold);
      }
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
