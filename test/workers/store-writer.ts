// Worker: appends its sequence numbers to core.extra["w:<id>"], one locked update each, and
// prints "wrote <id> <seq>" only after the update resolved (so whatever it printed must be on
// disk). With "announce" it also prints "in <id> <seq>" from inside the locked section, so a test
// can kill it mid-write. Runs until killed or `max` updates.
// Args: <store path> <id> <pause ms> <max> [announce]
import { openStore } from '../../src/store/open.js';

const [storePath, id, pauseText, maxText] = process.argv.slice(2);
const pause = Number(pauseText ?? 0);
const max = Number(maxText ?? 1000);
const announce = process.argv[6] === 'announce';
const store = await openStore(storePath!, { lock: { staleMs: 2000 } });
const key = `w:${id}`;
process.stdout.write(`ready ${id}\n`);
for (let seq = 1; seq <= max; seq++) {
  await store.update('core', (data) => {
    const list = (data.extra[key] as number[] | undefined) ?? [];
    list.push(seq);
    data.extra[key] = list;
    if (announce) process.stdout.write(`in ${id} ${seq}\n`);
  });
  process.stdout.write(`wrote ${id} ${seq}\n`);
  if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
}
await store.close();
process.stdout.write(`finished ${id}\n`);
