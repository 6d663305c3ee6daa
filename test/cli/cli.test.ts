// The real built binary, as scripts and CI use it: exit codes, JSON fields, usage errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';

let dir: string;
let target: HttpTarget;
let lag = 1;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-cli-'));
  target = await startHttpTarget({
    '/health': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
    '/lag': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lag })),
    '/echo': (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key: req.headers['x-api-key'], headers: req.headers })),
  });
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: CLI test
people: { manager: { name: Manager } }
systems:
  pms: { name: PMS, leader: manager }
  saas: { name: SaaS }
checks:
  - id: api
    system: pms
    kind: http
    url: ${target.url}/health
    expect: ["status == 200", "body.status == 'ok'"]
  - id: lag
    system: saas
    kind: http
    url: ${target.url}/lag
    thresholds: { CRITICAL: "body.lag > 60", HIGH: "body.lag > 5" }
store: ./state/imos.json
`,
  );
});

afterAll(async () => {
  await target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('imos check', () => {
  it('exits 0 when all is well, 1 when the worst is HIGH, 2 when CRITICAL', async () => {
    lag = 1;
    expect((await runImos(['check'], { cwd: dir })).exitCode).toBe(0);
    lag = 10;
    expect((await runImos(['check'], { cwd: dir })).exitCode).toBe(1);
    lag = 100;
    const run = await runImos(['check', '--only', 'lag'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/lag\s+saas\s+http\s+CRITICAL/);
  });

  it('prints the JSON contract of docs/CONTRACT.md', async () => {
    lag = 1;
    const run = await runImos(['check', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const checks = JSON.parse(run.stdout);
    expect(checks).toHaveLength(2);
    expect(Object.keys(checks[0]).sort()).toEqual(['at', 'durationMs', 'id', 'kind', 'message', 'metrics', 'status', 'system', 'value'].sort());
    expect(checks[0]).toMatchObject({ id: 'api', system: 'pms', kind: 'http', status: 'ok' });
    expect(checks[0].metrics.status).toBe(200);
  });

  it('names a disabled check as disabled, not unknown', async () => {
    const file = path.join(dir, 'disabled.yaml');
    fs.writeFileSync(file, fs.readFileSync(path.join(dir, 'imos.yaml'), 'utf8').replace('  - id: lag\n', '  - id: lag\n    enabled: false\n'));
    const run = await runImos(['--config', 'disabled.yaml', 'check', '--only', 'lag'], { cwd: dir });
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('lag: disabled in');
  });

  it('refuses an unknown check id with a usage error', async () => {
    const run = await runImos(['check', '--only', 'nope'], { cwd: dir });
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('unknown check id: nope');
  });

  it('an unknown id in a large configuration names the first known ids, not all of them', async () => {
    const big = path.join(dir, 'big.yaml');
    const checks = Array.from({ length: 500 }, (_, i) => `  - { id: c${i}, system: pms, kind: command, run: [true] }`).join('\n');
    fs.writeFileSync(big, `project: Big\nsystems: { pms: { name: PMS } }\nchecks:\n${checks}\nstore: ./state/big.json\n`);
    const run = await runImos(['check', '--only', 'nope', '--config', big], { cwd: dir });
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('known: c0, c1,');
    expect(run.stderr).toContain('500 in all');
    expect(run.stderr).not.toContain('c499');
  });
});

describe('imos status', () => {
  it('reports stored results and no poller', async () => {
    lag = 1;
    await runImos(['check'], { cwd: dir });
    const run = await runImos(['status', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.poller).toBeNull();
    expect(status.systems.map((s: { id: string }) => s.id)).toEqual(['pms', 'saas']);
    expect(status.systems[0].checks[0]).toMatchObject({ id: 'api', status: 'ok' });
    const text = await runImos(['status'], { cwd: dir });
    expect(text.stdout).toContain('CLI test');
    expect(text.stdout).toContain('nobody holds the lease');
  });
});

describe('usage and configuration errors', () => {
  it('exits 64 on an unknown command or option, with one line of reason', async () => {
    const unknown = await runImos(['frobnicate'], { cwd: dir });
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const option = await runImos(['check', '--nope'], { cwd: dir });
    expect(option.exitCode).toBe(64);
    expect(option.stderr).toContain("unknown option '--nope'");
  });

  it('exits 64 when a command is left without its subcommand (it exited 0 after the help)', async () => {
    for (const command of ['standup', 'notify', 'store']) {
      const run = await runImos([command], { cwd: dir });
      expect(run.exitCode, command).toBe(64);
      expect(run.stdout, command).toBe('');
      expect(run.stderr, command).toContain(`Usage: imos ${command}`);
    }
    const help = await runImos(['standup', '--help'], { cwd: dir });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: imos standup');
  });

  it('error messages that echo what was typed or read carry no terminal controls', async () => {
    const evil = '\u001b]0;owned\u0007\u001b[2J\u202e\u009b31m';
    fs.writeFileSync(path.join(dir, 'evil.yaml'), `project: x\nsystems: { a: { name: A } }\nchecks:\n  - { id: c, system: a, kind: "htp\\e[2J" }\n`);
    const runs = [
      await runImos([`frob${evil}`], { cwd: dir }),
      await runImos(['check', `--nope${evil}`], { cwd: dir }),
      await runImos(['standup', 'list', '--date', `2025${evil}`], { cwd: dir }),
      await runImos(['validate', 'evil.yaml'], { cwd: dir }),
    ];
    expect(runs.map((r) => r.exitCode)).toEqual([64, 64, 64, 78]);
    for (const run of runs) expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(runs[3]!.stderr).toContain('unknown check kind "htp"');
  });

  it('validate exits 0 on a good file and 78 with located problems on a bad one', async () => {
    expect((await runImos(['validate'], { cwd: dir })).exitCode).toBe(0);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'project: x\nsystems: { a: { name: A } }\nchecks:\n  - { id: c, system: a, kind: htp }\n');
    const bad = await runImos(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.exitCode).toBe(78);
    expect(bad.stderr).toContain('bad.yaml:4:');
    expect(bad.stderr).toContain('unknown check kind "htp" (known kinds: ');
    const viaCheck = await runImos(['--config', 'bad.yaml', 'check'], { cwd: dir });
    expect(viaCheck.exitCode).toBe(78);
  });

  it('schema prints a JSON Schema that knows every check kind', async () => {
    const run = await runImos(['schema'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const schema = JSON.parse(run.stdout);
    expect(schema.title).toContain('imos');
    expect(run.stdout).toContain('"postgres"');
    expect(run.stdout).toContain('"typescript"');
  });

  it('refuses an empty --as (an action must name who acted)', async () => {
    const run = await runImos(['--as', '', 'status'], { cwd: dir });
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('--as needs a name');
  });

  it('--version and --help answer with exit 0', async () => {
    const version = await runImos(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // `--version` alone is answered before the rest of the CLI loads (src/cli/entry.ts): the same
    // answer as the command line's own, and -V too.
    const viaCommandLine = await runImos(['--as', 'someone', '--version']);
    expect(viaCommandLine.exitCode).toBe(0);
    expect(viaCommandLine.stdout).toBe(version.stdout);
    expect((await runImos(['-V'])).stdout).toBe(version.stdout);
    expect((await runImos(['check', '--help'])).exitCode).toBe(0);
  });
});

describe('a reader that leaves early', () => {
  /** How imos ended, and what it said on stderr. */
  async function endOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    return { code, stderr };
  }

  it('ends imos quietly with 141, as SIGPIPE would, not with a stack trace (`imos status | head`)', async () => {
    const example = path.resolve(import.meta.dirname, '../../data/example/imos.yaml');
    // The pipe's reading end is closed before imos writes anything: its first write fails.
    const child = spawn(process.execPath, [IMOS_BIN, 'validate', '-c', example], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    expect(await endOf(child)).toEqual({ code: 141, stderr: '' });
  }, CLI_HANG_MS);

  it('ends with 141 too when it leaves in the middle of a report written in pieces (`imos status --json | head`)', async () => {
    const sub = path.join(dir, 'many');
    fs.mkdirSync(sub, { recursive: true });
    const checks = Array.from({ length: 4000 }, (_, i) => `  - { id: c${i}, system: s, kind: command, run: [true] }`);
    fs.writeFileSync(path.join(sub, 'imos.yaml'), `project: many\nsystems: { s: { name: S } }\nstore: ./state/imos.json\nchecks:\n${checks.join('\n')}\n`);
    // Whole, the report is JSON of every check, once, ending with one line break.
    const whole = spawnSync(process.execPath, [IMOS_BIN, 'status', '--json'], { cwd: sub, encoding: 'utf8', timeout: CLI_HANG_MS });
    expect(whole.status).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(1_000_000);
    expect(whole.stdout.endsWith('}\n') && !whole.stdout.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(whole.stdout).systems[0].checks.map((c: { id: string }) => c.id)).toEqual(checks.map((_, i) => `c${i}`));
    // The reader leaves after its first piece, long before the last (a pipe holds 64 KB): a later write fails.
    const child = spawn(process.execPath, [IMOS_BIN, 'status', '--json'], { cwd: sub, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.once('data', () => child.stdout.destroy());
    expect(await endOf(child)).toEqual({ code: 141, stderr: '' });
  }, CLI_HANG_MS);
});

describe('secrets from the environment', () => {
  it('never reach the output or the store: printed by a command, passed as an argument, in a URL query', async () => {
    const sub = path.join(dir, 'secrets');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, 'imos.yaml'),
      `project: secrets
systems: { s: { name: S } }
checks:
  - id: printed
    system: s
    kind: command
    run: [node, -e, "console.log('token is ' + process.env.DEPLOY_TOKEN); process.exit(1)"]
  - id: argument
    system: s
    kind: command
    run: [node, -e, "process.exit(1)", "--", "Bearer \${DEPLOY_TOKEN}"]
  - id: query
    system: s
    kind: http
    url: "${target.url}/health?api_key=\${MEMBER_API_KEY}"
    expect: ["status == 500"]
  - id: echoed
    system: s
    kind: http
    url: "${target.url}/echo"
    headers: { X-Api-Key: "\${PARTNER_KEY}" }
    expect: ["body.key == 'other'"]
store: ./state/imos.json
`,
    );
    const env = { DEPLOY_TOKEN: 'dtok-7f3a9c2e11', MEMBER_API_KEY: 'mkey-55b0e4d9a2', PARTNER_KEY: 'pkey-0c3e8f1b66' };
    const runs = [await runImos(['check', '--json'], { cwd: sub, env }), await runImos(['check'], { cwd: sub, env })];
    expect(runs.map((r) => r.exitCode)).toEqual([2, 2]);
    const stored = fs.readdirSync(path.join(sub, 'state')).map((f) => fs.readFileSync(path.join(sub, 'state', f), 'utf8'));
    for (const text of [...runs.flatMap((r) => [r.stdout, r.stderr]), ...stored]) {
      expect(text).not.toContain('dtok-7f3a9c2e11');
      expect(text).not.toContain('mkey-55b0e4d9a2');
      expect(text).not.toContain('pkey-0c3e8f1b66'); // sent as a header, echoed back in the body
    }
    fs.writeFileSync(
      path.join(sub, 'bad.yaml'),
      `project: x
systems: { s: { name: S } }
checks:
  - { id: c, system: s, kind: http, url: "${target.url}/", expect: ["status == \${DEPLOY_TOKEN}", "body.x == \${DB_URL}"] }
`,
    );
    const bad = await runImos(['validate', 'bad.yaml'], { cwd: sub, env: { ...env, DB_URL: 'postgresql://u:pw-9e1c55aa@127.0.0.1/db' } });
    expect(bad.exitCode).toBe(78);
    expect(bad.stderr).toContain('checks[0].expect[0]');
    expect(bad.stderr).not.toContain('dtok-7f3a9c2e11');
    expect(bad.stderr).not.toContain('pw-9e1c55aa');
    expect(runs[1]!.stdout).toContain('token is ***');
    expect(stored.join('')).toContain('api_key=***');
  });
});

describe('imos store', () => {
  it('check on a PostgreSQL store that cannot be reached says why (78); repair has nothing to do there (64); never the password', async () => {
    const url = 'postgres://ops:pw-4b1d9e77@127.0.0.1:9/imos';
    const check = await runImos(['--store', url, 'store', 'check'], { cwd: dir });
    expect(check.exitCode).toBe(78);
    expect(check.stdout).toMatch(/✖ core +postgres:\/\/ops:\*\*\*@127\.0\.0\.1:9\/imos\n +.*(refused|connect)/i);
    const repair = await runImos(['--store', url, 'store', 'repair'], { cwd: dir });
    expect(repair.exitCode).toBe(64);
    expect(repair.stderr).toContain('postgres://ops:***@127.0.0.1:9/imos is a PostgreSQL store: the database keeps it consistent');
    for (const run of [check, repair]) expect(run.stdout + run.stderr).not.toContain('pw-4b1d9e77');
    expect(fs.existsSync(path.join(dir, 'postgres:'))).toBe(false);
  });

  it('check reports a corrupt file (78) and repair keeps a copy and starts fresh', async () => {
    await runImos(['check'], { cwd: dir });
    expect((await runImos(['store', 'check'], { cwd: dir })).exitCode).toBe(0);
    const core = path.join(dir, 'state', 'imos.json');
    fs.writeFileSync(core, '{"version": 1, "alerts": [');
    const broken = await runImos(['store', 'check'], { cwd: dir });
    expect(broken.exitCode).toBe(78);
    expect(broken.stdout).toContain(core);
    const status = await runImos(['status'], { cwd: dir });
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain(core);
    expect(fs.readFileSync(core, 'utf8')).toBe('{"version": 1, "alerts": ['); // refused, untouched
    const check = await runImos(['check'], { cwd: dir }); // the checks pass, but their alerts cannot be kept
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain(`${core} is not valid JSON`); // "alerts not updated: …", or the run stops on it
    expect(fs.readFileSync(core, 'utf8')).toBe('{"version": 1, "alerts": [');
    const repair = await runImos(['store', 'repair'], { cwd: dir });
    expect(repair.exitCode).toBe(0);
    expect(repair.stdout).toContain('kept as');
    expect(fs.readdirSync(path.join(dir, 'state')).some((f) => f.startsWith('imos.json.corrupt-'))).toBe(true);
    expect((await runImos(['store', 'check'], { cwd: dir })).exitCode).toBe(0);
  });
});
