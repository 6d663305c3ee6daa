// Worker: a person at a terminal on one host, using the real `imos` binary against the store of the
// configuration in the working directory: reads `imos status --json`, acknowledges an open alert
// (`imos ack ID --as ACTOR --note ACTOR-N`) and now and then adds a standup, until SIGTERM. Every
// command it ran is one JSON line: {op, id?, note?, by?, ok, code, ms, err?}.
// Args: <imos bin> <actor> <pause ms>
import { execFile } from 'node:child_process';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const [bin, actor, pauseText] = process.argv.slice(2);
const pause = Number(pauseText ?? 300);
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function imos(args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [bin!, ...args], { timeout: CLI_HANG_MS, env: process.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

const say = (value: object) => process.stdout.write(JSON.stringify({ actor, t: Date.now(), ...value }) + '\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

say({ op: 'ready' });
for (let n = 1; n <= 10_000 && !stopping; n++) {
  const status = await imos(['status', '--json']);
  say({ op: 'status', ok: status.code === 0, code: status.code, ms: status.ms, ...(status.code ? { err: status.stderr.slice(-300) } : {}) });
  if (stopping) break;
  let open: Array<{ id: string; state: string }> = [];
  try {
    open = (JSON.parse(status.stdout) as { alerts: Array<{ id: string; state: string }> }).alerts.filter((a) => a.state === 'open');
  } catch {
    // an unreadable answer was reported above (its exit code)
  }
  if (open.length > 0) {
    const alert = open[Math.floor(Math.random() * open.length)]!;
    const note = `${actor}-${n}`;
    const ack = await imos(['ack', alert.id, '--as', actor!, '--note', note, '--json']);
    let by: string | null = null;
    try {
      by = (JSON.parse(ack.stdout) as { acknowledgedBy: string | null }).acknowledgedBy;
    } catch {
      // failed: no alert printed
    }
    // `by` other than us: someone acknowledged it first (a repeat changes nothing, and says so).
    say({ op: 'ack', id: alert.id, note, by, ok: ack.code === 0, code: ack.code, ms: ack.ms, ...(ack.code ? { err: ack.stderr.slice(-300) } : {}) });
  } else if (n % 3 === 0) {
    const done = `${actor}-${n}`;
    const add = await imos(['standup', 'add', '--system', 'pms', '--done', done, '--next', 'more', '--as', actor!]);
    say({ op: 'standup', note: done, ok: add.code === 0, code: add.code, ms: add.ms, ...(add.code ? { err: add.stderr.slice(-300) } : {}) });
  }
  await sleep(pause);
}
say({ op: 'stopped' });
process.exit(0);
