// Worker: one person acting on a shared store for a bounded time, as fast as they can: acknowledge
// or withdraw the acknowledgement of one of the given alerts (whichever its state calls for), or add
// the standup of one of the given systems. Each action has its own actor name (`<id>-<n>`), so the
// audit log names it. `api` mode calls what the CLI calls (src/alerts, src/plan); `cli` mode runs the
// real binary (`imos ack|unack|standup add --as … --json`) in the working directory. Every action is
// one JSON line: {op, target, actor, ok, changed, ms, err?}; `changed` false: it succeeded as a no-op
// (an acknowledgement someone else had just made).
// Args: <mode api|cli> <store url> <config file> <imos bin> <id> <run ms> <alert ids,…> <systems,…> <pause ms> [<least actions>]
// It acts for <run ms>, and at least <least actions> times however long those take (a loaded
// machine), so that the counts a test checks do not depend on the machine's speed.
import { execFile } from 'node:child_process';
import { performAlertAction, AlertActionError } from '../../src/alerts/actions.js';
import { loadConfigFile } from '../../src/config/load.js';
import { saveStandup } from '../../src/plan/standups.js';
import { openStore } from '../../src/store/open.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const [mode, url, configFile, bin, id, runText, alertText, systemText, pauseText, leastText] = process.argv.slice(2);
const pause = Number(pauseText ?? 0);
const leastActions = Number(leastText ?? 0);
const alerts = alertText!.split(',');
const systems = systemText!.split(',');
const config = loadConfigFile(configFile!);
const store = await openStore(url!);
const until = Date.now() + Number(runText);
const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
const say = (value: object) => process.stdout.write(JSON.stringify({ id, ...value }) + '\n');

function imos(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin!, ...args], { timeout: CLI_HANG_MS, env: process.env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function alertAction(alertId: string, actor: string): Promise<object> {
  // What the person sees decides: an acknowledged alert gets its acknowledgement withdrawn.
  const seen = (await store.read('core')).alerts.find((a) => a.id === alertId);
  const op = seen?.state === 'acknowledged' ? 'unack' : 'ack';
  if (mode === 'cli') {
    const run = await imos([op, alertId, '--as', actor, '--note', actor, '--json']);
    if (run.code !== 0) return { op, target: alertId, actor, ok: false, changed: false, err: run.stderr.slice(-200) };
    const after = JSON.parse(run.stdout) as { acknowledgedBy: string | null };
    return { op, target: alertId, actor, ok: true, changed: op === 'unack' || after.acknowledgedBy === actor };
  }
  try {
    const outcome = await performAlertAction(store, config, op, { id: alertId, actor, note: actor, nowMs: Date.now() });
    return { op, target: alertId, actor, ok: true, changed: outcome.changed };
  } catch (error) {
    if (!(error instanceof AlertActionError)) throw error;
    return { op, target: alertId, actor, ok: false, changed: false, err: error.message };
  }
}

async function standupAction(system: string, actor: string): Promise<object> {
  if (mode === 'cli') {
    const run = await imos(['standup', 'add', '--system', system, '--done', `done by ${actor}`, '--next', 'next', '--as', actor, '--json']);
    return { op: 'standup', target: system, actor, ok: run.code === 0, changed: run.code === 0, ...(run.code ? { err: run.stderr.slice(-200) } : {}) };
  }
  await saveStandup(store, { system, done: `done by ${actor}`, next: 'next', blockers: [] }, actor, Date.now(), config);
  return { op: 'standup', target: system, actor, ok: true, changed: true };
}

say({ op: 'ready' });
for (let n = 1; n <= 100_000 && (Date.now() < until || n <= leastActions); n++) {
  const actor = `${id}-${n}`;
  const started = Date.now();
  try {
    const outcome = Math.random() < 0.6 ? await alertAction(pick(alerts), actor) : await standupAction(pick(systems), actor);
    say({ ...outcome, ms: Date.now() - started });
  } catch (error) {
    // Not stored (the store said so): reported as failed, and must then be absent from the store.
    say({ op: 'error', actor, ok: false, changed: false, ms: Date.now() - started, err: String(error).slice(0, 300) });
  }
  if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
}
await store.close();
say({ op: 'done' });
