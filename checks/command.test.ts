import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../src/conditions/index.js';
import { captureNumber, commandCheck, type CommandCheckConfig } from './command.js';
import { DEFAULT_KILL_GRACE_MS } from './shared/process.js';
import { checkContext } from './shared/testing.js';
import { isProcessRunning } from '../src/processes.js';
import { HANG_MS } from '../test/helpers/bounds.js';

const node = process.execPath;
const config = (raw: Record<string, unknown>): CommandCheckConfig => commandCheck.schema.parse(raw);
const holds = (conditions: string[], metrics: Record<string, unknown>) =>
  conditions.map((c) => evaluateCondition(parseCondition(c, commandCheck.metrics), metrics).holds);

const workDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'imos-command-')));
mkdirSync(path.join(workDir, 'sub'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Polls (bounded) until `pid` is gone: a killed process may take a moment to be reaped. */
async function diesWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (!isProcessRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !isProcessRunning(pid);
}

describe('command check', () => {
  it('reports exit 0, the duration and a number captured from the output', async () => {
    const outcome = await commandCheck.run(
      config({ run: [node, '-e', 'console.log("starting"); console.log("result: 1,234 items"); console.log("")'], capture: 'result: ([\\d,]+)' }),
      checkContext(),
    );
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics.exit).toBe(0);
    expect(outcome.metrics.value).toBe(1234);
    expect(outcome.value).toBe(1234);
    expect(typeof outcome.metrics.duration).toBe('number');
    expect(outcome.message).toBe('1234 · exit 0: result: 1,234 items');
    expect(holds(['exit == 0', 'value > 1000', 'duration < 1m'], outcome.metrics)).toEqual([true, true, true]);
    expect(holds(commandCheck.defaultExpect!, outcome.metrics)).toEqual([true]);
  });

  it('reports a failing exit code with the last line of output', async () => {
    const outcome = await commandCheck.run(
      config({ run: [node, '-e', 'console.log("3 tests"); console.error("FAIL orders.test.ts\\n"); process.exit(3)'] }),
      checkContext(),
    );
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics.exit).toBe(3);
    expect(outcome.value).toBe(3);
    expect(outcome.message).toBe('exit 3: FAIL orders.test.ts');
    expect(holds(['exit != 0'], outcome.metrics)).toEqual([true]);
    expect(holds(commandCheck.defaultExpect!, outcome.metrics)).toEqual([false]);
  });

  it('says so when the capture finds no number', async () => {
    const none = await commandCheck.run(config({ run: [node, '-e', 'console.log("nothing here")'], capture: 'coverage (\\d+)' }), checkContext());
    expect(none.metrics).not.toHaveProperty('value');
    expect(none.message).toContain('capture /coverage (\\d+)/ found no match');
    expect(holds(['value > 0'], none.metrics)).toEqual([false]);
    expect(captureNumber('coverage: n/a', 'coverage: (\\S+)').problem).toContain('not a number');
    expect(captureNumber('a 1\na 2\na 3.5\n', '^a (\\S+)$').value).toBe(3.5);
    expect(captureNumber('took 42', '\\d+').value).toBe(42);
  });

  it('is stopped at its timeout and reported as an error', async () => {
    const started = Date.now();
    const outcome = await commandCheck.run(
      // A shell, not node, and a timeout of 1.5 s: it prints before the timeout even on a loaded
      // machine (where starting a process can take hundreds of milliseconds).
      config({ run: ['sh', '-c', 'echo working; exec sleep 60'] }),
      checkContext({ timeoutMs: 1500 }),
    );
    expect(Date.now() - started).toBeLessThan(HANG_MS); // not the program's 60 s
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe('sh: timed out after 1.5s (last output: working)');
  });

  it('kills a program that ignores SIGTERM, and its children, within a bound', async () => {
    // The parent ignores SIGTERM and a child holds the output pipe open: both must die.
    const pidFile = path.join(workDir, 'child.pid');
    // A shell starts in milliseconds, so its trap is set long before the 1.5 s timeout, however
    // loaded the machine.
    const script = `trap 'echo ignoring SIGTERM' TERM; sleep 60 & echo $! > '${pidFile}'; while :; do sleep 0.2; done`;
    const started = Date.now();
    const outcome = await commandCheck.run(config({ run: ['sh', '-c', script] }), checkContext({ timeoutMs: 1500 }));
    const took = Date.now() - started;
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('timed out after 1.5s');
    // SIGTERM was ignored: SIGKILL only after the grace (less a little: a timer may fire a few ms
    // early against Date.now).
    expect(took).toBeGreaterThanOrEqual(1500 + DEFAULT_KILL_GRACE_MS - 100);
    expect(took).toBeLessThan(HANG_MS); // not the child's 60 s
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(childPid).toBeGreaterThan(0);
    expect(await diesWithin(childPid, HANG_MS)).toBe(true);
  }, 40_000);

  it('leaves no background process behind that holds the check open', async () => {
    const started = Date.now();
    const outcome = await commandCheck.run(
      config({ run: 'sleep 60 & echo "started $!"', shell: true }),
      checkContext({ timeoutMs: 40_000 }),
    );
    expect(Date.now() - started).toBeLessThan(HANG_MS); // not the background sleep's 60 s
    expect(outcome.metrics.exit).toBe(0);
    const pid = Number(/started (\d+)/.exec(outcome.message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(await diesWithin(pid, HANG_MS)).toBe(true);
  });

  it('names a program that does not exist', async () => {
    const outcome = await commandCheck.run(config({ run: ['no-such-program-imos', '--version'] }), checkContext());
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe('program not found: no-such-program-imos');
  });

  it('runs in cwd relative to the config directory, with its env, and a shell only when asked', async () => {
    const outcome = await commandCheck.run(
      config({ run: 'echo "$GREETING from $(pwd)"', shell: true, cwd: 'sub', env: { GREETING: 'hi' } }),
      checkContext({ baseDir: workDir }),
    );
    expect(outcome.message).toBe(`exit 0: hi from ${path.join(workDir, 'sub')}`);

    const literal = await commandCheck.run(config({ run: ['echo', '$GREETING', '$(pwd)'], env: { GREETING: 'hi' } }), checkContext());
    expect(literal.message).toBe('exit 0: $GREETING $(pwd)');

    const missing = await commandCheck.run(config({ run: ['true'], cwd: 'nope' }), checkContext({ baseDir: workDir }));
    expect(missing.status).toBe('error');
    expect(missing.message).toBe(`working directory not found: ${path.join(workDir, 'nope')}`);
  });

  it('validates its own keys', () => {
    const line = commandCheck.schema.safeParse({ run: 'npm test' });
    expect(line.success).toBe(false);
    expect(JSON.stringify(line.error?.issues)).toContain('shell: true');
    expect(commandCheck.schema.safeParse({ run: [] }).success).toBe(false);
    expect(commandCheck.schema.safeParse({ run: ['x'], capture: '(' }).success).toBe(false);
    expect(config({ run: ['npm', 'test'], env: { N: 3 } }).env).toEqual({ N: '3' });
    // `run: [true]` in YAML is the boolean true: the program `true`.
    expect(config({ run: [true] }).run).toEqual(['true']);
    expect(config({ run: ['echo', false, 3] }).run).toEqual(['echo', 'false', '3']);
  });

  it('runs `run: [true]` / `run: [false]` written in YAML as the programs true and false', async () => {
    const pass = await commandCheck.run(config({ run: [true] }), checkContext());
    expect(pass.metrics.exit).toBe(0);
    const fail = await commandCheck.run(config({ run: [false] }), checkContext());
    expect(fail.metrics.exit).toBe(1);
  });

  it('sanitises output and redacts secret environment values', async () => {
    const outcome = await commandCheck.run(
      config({
        run: [node, '-e', 'console.log("\\u001b]0;owned\\u0007token=" + process.env.API_TOKEN + " \\u001b[31mred\\u001b[0m")'],
        env: { API_TOKEN: 'tok-abcdef123' },
      }),
      checkContext(),
    );
    expect(outcome.message).toBe('exit 0: token=*** red');
    expect(JSON.stringify(outcome.detail)).not.toContain('tok-abcdef123');
  });

  it('redacts a variable named …_KEY as the README promises (TOKEN, SECRET, PASSWORD, KEY…)', async () => {
    const outcome = await commandCheck.run(
      config({ run: [node, '-e', 'console.log("key=" + process.env.STRIPE_KEY)'], env: { STRIPE_KEY: 'sk-live-0a1b2c3d' } }),
      checkContext(),
    );
    expect(outcome.message).toBe('exit 0: key=***');
  });

  it('keeps only the tail of a huge output without killing the program', async () => {
    const outcome = await commandCheck.run(
      config({
        run: [node, '-e', 'const line = "x".repeat(1023) + "\\n"; for (let i = 0; i < 3072; i++) process.stdout.write(line); console.log("total 77")'],
        capture: 'total (\\d+)',
      }),
      checkContext(),
    );
    expect(outcome.metrics.exit).toBe(0);
    expect(outcome.metrics.value).toBe(77);
    expect((outcome.detail as { truncated: boolean }).truncated).toBe(true);
  });
});
