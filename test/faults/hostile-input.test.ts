// The fault suite, hostile input: what people and monitored systems hand imos is never trusted.
// - fast-check over the configuration loader, conditions, thresholds, the matrix parser and the
//   store loader: thousands of inputs each; each is accepted or refused with a clear error (its
//   own error class, naming the file), never a crash; a refused store file is left untouched.
// - terminal controls (ANSI / OSC / bidi / C1) and invalid UTF-8 from targets, commands, database
//   errors, standups and matrix cells reach no terminal (the commands, the console in tmux), report
//   or /api/* answer;
// - forged, stale, replayed (across a restart), oversized and malformed Slack requests refused;
// - recognisable secrets set in the environment found nowhere: store files, logs, reports, API
//   answers, the screen.
// Each part prints its counts.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseCondition, ConditionError } from '../../src/conditions/index.js';
import { httpCheck } from '../../checks/http.js';
import { parseMatrix } from '../../src/plan/matrix-parse.js';
import { parseSnapshot } from '../../src/store/journal.js';
import { JsonStore } from '../../src/store/json-store.js';
import { SECTION_NAMES, StoreError } from '../../src/store/types.js';
import { execa } from 'execa';
import { IMOS_BIN } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { startImos, stopImos, waitFor, cleanUpProcesses, type Running } from '../helpers/imos-process.js';
import { ackPayload, postSlack, signed, startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const counts: Record<string, number> = {};
const count = (what: string, n = 1) => (counts[what] = (counts[what] ?? 0) + n);
afterAll(() => {
  console.log(`hostile input — ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(' · ')}`);
});

const FILE = '/virtual/imos.yaml';
const SEED = Number(process.env.IMOS_FAULT_SEED ?? Date.now() % 1_000_000);
const runs = (n: number) => ({ numRuns: n, seed: SEED, endOnFailure: true });

/** A value a YAML file could hold: scalars of every kind, lists, mappings (keys that look real too). */
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('30s', '0s', '-1m', '1e400', '${NOPE}', 'status == 200', '\u001b[2J', 'http://127.0.0.1:9/', 'CRITICAL'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('id', 'system', 'kind', 'url', 'every', 'expect', 'thresholds', 'run', 'name')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const validConfig = () => ({
  project: 'Fuzz',
  timezone: 'UTC',
  people: { ann: { name: 'Ann', slack: 'U1' } },
  systems: { core: { name: 'Core', leader: 'ann' } },
  checks: [{ id: 'api', system: 'core', kind: 'http', url: 'http://127.0.0.1:9/', expect: ['status == 200'], thresholds: { HIGH: 'latency > 500ms' } }],
  store: './data/imos.json',
});

/** A clear refusal: a ConfigError whose every line names the file. */
function clearConfigOutcome(text: string, what = 'configs'): void {
  try {
    loadConfigText(text, FILE, { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${String((error as Error)?.stack ?? error)}`);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const line of error.message.split('\n').filter((l) => /^\S/.test(l))) expect(line.startsWith(FILE)).toBe(true);
    count(`${what} refused`);
  }
}

describe('fast-check: every parser accepts or refuses clearly, never crashes', () => {
  it('the configuration loader (text, YAML of any shape, a valid configuration with any field replaced)', () => {
    let n = 0;
    const mutated = fc
      .tuple(fc.constantFrom('project', 'timezone', 'people', 'systems', 'checks', 'store', 'defaults', 'severities', 'channels', 'server', 'maintenance', 'phases', 'plan', 'retention'), yamlValue)
      .map(([key, value]) => ({ ...validConfig(), [key]: value }));
    const mutatedCheck = fc
      .tuple(fc.constantFrom('id', 'system', 'kind', 'url', 'every', 'timeout', 'expect', 'thresholds', 'severity', 'headers', 'method', 'body'), yamlValue)
      .map(([key, value]) => ({ ...validConfig(), checks: [{ ...validConfig().checks[0], [key]: value }] }));
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      yamlValue.map((v) => YAML.stringify(v)),
      mutated.map((v) => YAML.stringify(v)),
      mutatedCheck.map((v) => YAML.stringify(v)),
    );
    fc.assert(
      fc.property(text, (t) => {
        n++;
        clearConfigOutcome(t);
      }),
      runs(2000),
    );
    count('config inputs', n);
  });

  it('conditions', () => {
    let n = 0;
    const token = fc.constantFrom('status', 'latency', 'body', 'body.items.length', 'size', '==', '!=', '<', '<=', '>', '>=', '500ms', '1e3', '-0', '80%', "'ok'", '"x"', 'true', 'null', ' ', '.', '(', '\u001b', '5m3', 'NaN');
    const source = fc.oneof(fc.string({ maxLength: 60 }), fc.array(token, { maxLength: 6 }).map((t) => t.join(' ')), fc.array(token, { maxLength: 6 }).map((t) => t.join('')));
    fc.assert(
      fc.property(source, (s) => {
        n++;
        try {
          parseCondition(s, httpCheck.metrics);
        } catch (error) {
          if (!(error instanceof ConditionError)) throw error;
          expect(error.column).toBeGreaterThanOrEqual(1);
          count('conditions refused');
        }
      }),
      runs(5000),
    );
    count('condition inputs', n);
  });

  it('thresholds (any severities, any conditions, in a configuration)', () => {
    let n = 0;
    const condition = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('latency > 500ms', 'status >= 500', 'size < 0', 'body.x == 1'));
    const thresholds = fc.dictionary(fc.oneof(fc.constantFrom('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'critical'), fc.string({ maxLength: 6 })), fc.oneof(condition, fc.array(condition, { maxLength: 3 }), yamlValue), { maxKeys: 4 });
    fc.assert(
      fc.property(thresholds, (t) => {
        n++;
        clearConfigOutcome(YAML.stringify({ ...validConfig(), checks: [{ ...validConfig().checks[0], thresholds: t }] }), 'thresholds');
      }),
      runs(2000),
    );
    count('threshold inputs', n);
  });

  it('the matrix parser', () => {
    let n = 0;
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('Table', 'System', 'Status', 'Task', 'ID', 'Depends on', 'Phase', 'Start', 'End', 'done', '🔄 in progress', 'blocked', '2026-02-30', 'T1', '|', '\\|', '`a|b`', '-'));
    const row = fc.array(cell, { minLength: 1, maxLength: 6 }).map((cells) => `| ${cells.join(' | ')} |`);
    const table = fc.tuple(row, fc.array(row, { maxLength: 6 })).map(([header, rows]) => [header, '|---|---|---|', ...rows].join('\n'));
    const text = fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.oneof(table, fc.string({ maxLength: 40 })), { maxLength: 4 }).map((parts) => parts.join('\n\n')));
    fc.assert(
      fc.property(text, (t) => {
        n++;
        const result = parseMatrix(t, 'matrix.md');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          count('matrices refused');
        }
      }),
      runs(3000),
    );
    count('matrix inputs', n);
  });

  it('the store loader (snapshots of any shape; whole stores of random files, left untouched)', async () => {
    let n = 0;
    const section = fc.constantFrom(...SECTION_NAMES);
    const snapshot = fc.oneof(
      fc.string({ maxLength: 200 }),
      yamlValue.map((v) => JSON.stringify(v) ?? ''),
      fc.record({ version: fc.oneof(fc.constant(2), yamlValue), section: fc.oneof(section, yamlValue), seq: yamlValue, alerts: fc.oneof(fc.array(yamlValue, { maxLength: 3 }), yamlValue), kv: fc.array(yamlValue, { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(section, snapshot, (name, text) => {
        n++;
        try {
          parseSnapshot(name, text, '/virtual/imos.json');
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          expect(error.message).toContain('/virtual/imos.json');
          count('snapshots refused');
        }
      }),
      runs(3000),
    );
    count('snapshot inputs', n);

    // Whole stores: random bytes or shapes in the snapshot, a journal and the audit log.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-fuzz-store-'));
    let stores = 0;
    try {
      const bytes = fc.oneof(snapshot.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)));
      const journal = fc.array(fc.oneof(bytes, yamlValue.map((v) => Buffer.from(JSON.stringify(v) ?? ''))), { maxLength: 4 }).map((lines) => Buffer.from(lines.map((l) => l.toString('latin1')).join('\n'), 'latin1'));
      await fc.assert(
        fc.asyncProperty(bytes, journal, journal, async (core, coreJournal, audit) => {
          stores++;
          const at = fs.mkdtempSync(path.join(dir, 's-'));
          const files = { 'imos.json': core, 'imos.core.jsonl': coreJournal, 'imos.audit.jsonl': audit };
          for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(at, name), data);
          const store = new JsonStore(path.join(at, 'imos.json'));
          try {
            for (const name of SECTION_NAMES) await store.read(name);
            await store.readAudit();
          } catch (error) {
            if (!(error instanceof StoreError)) throw error;
            expect(error.message).toMatch(new RegExp(at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
            count('stores refused');
          } finally {
            await store.close();
          }
          // Read, refused or not: nothing was rewritten.
          for (const [name, data] of Object.entries(files)) expect(fs.readFileSync(path.join(at, name)).equals(data), `${name} left untouched`).toBe(true);
          fs.rmSync(at, { recursive: true, force: true });
        }),
        runs(300),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    count('store inputs', stores);
  });
});

// ---------------------------------------------------------------------------------------------
// A project whose every source of text is hostile, and whose secrets are recognisable.

/** Terminal controls: OSC title, screen clear, CSI as C1, bidi override, BEL, a raw C1. */
const HOSTILE = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil\u2066\u0085x';
/** Forbidden in anything shown: C0 controls but tab and newline, DEL, C1, bidi overrides and isolates. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]);

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-f4ult-7a1c9e2d4b',
  SLACK_SIGNING_SECRET: 'f4ult-signing-3e8d1f',
  API_TOKEN: 'tok-f4ult-5d2e9a71',
  PROBE_PASSWORD: 'pw-F4ult-1b7c',
  HOOK_PATH: 'hookSecretF4ult99',
  DB_PASSWORD: 'dbpw-F4ult-8c3d',
};

describe('a hostile world: controls reach no terminal, report or API; secrets appear nowhere', () => {
  let dir: string;
  let target: HttpTarget;
  let hook: HttpTarget;
  let slack: SlackApi;
  let db: TestPostgres | null = null;
  let env: NodeJS.ProcessEnv;
  /** Every secret in every form it travels in. */
  let forms: string[];
  const shown: Array<{ what: string; text: string }> = [];

  afterAll(async () => {
    await cleanUpProcesses();
    await Promise.all([target?.close(), hook?.close(), slack?.close(), db?.stop()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const imos = async (args: string[]) => {
    const run = await execa(process.execPath, [IMOS_BIN, ...args], { cwd: dir, env: { ...process.env, ...env, CI: undefined }, extendEnv: false, reject: false, timeout: CLI_HANG_MS, encoding: 'buffer' });
    for (const [stream, bytes] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
      const buffer = Buffer.from(bytes as Uint8Array);
      // Invalid UTF-8 never passes through: what imos prints decodes and re-encodes to itself.
      expect(Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer), `imos ${args.join(' ')} ${stream}: valid UTF-8`).toBe(true);
      shown.push({ what: `imos ${args.join(' ')} (${stream})`, text: buffer.toString('utf8') });
    }
    return { exitCode: run.exitCode, stdout: Buffer.from(run.stdout as Uint8Array).toString('utf8') };
  };

  it('sets up the project: hostile targets, command, database, matrix and standup; a daemon runs it', async () => {
    target = await startHttpTarget({
      // An error page quoting the request, with controls in the message.
      '/': (req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `down ${HOSTILE}`, headers: req.headers }));
      },
      // Controls and invalid UTF-8 as text.
      '/bytes': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(Buffer.concat([Buffer.from(`${HOSTILE} `), INVALID_UTF8, Buffer.from(' tail')]));
      },
    });
    hook = await startHttpTarget({ [`/services/TF4ULT/BF4ULT/${SECRETS.HOOK_PATH}`]: (_req, res) => res.writeHead(404).end('no_service') });
    slack = await startSlackApi(SECRETS.SLACK_BOT_TOKEN);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-hostile-'));

    const checks: Array<Record<string, unknown>> = [
      { id: 'hostile-http', system: 'core', kind: 'http', url: `http://probe:\${PROBE_PASSWORD}@127.0.0.1:${target.port}/`, headers: { Authorization: 'Bearer ${API_TOKEN}' } },
      { id: 'hostile-bytes', system: 'core', kind: 'http', url: `${target.url}/bytes`, expect: ["body == 'calm'"] },
      // Prints controls, invalid UTF-8 and a secret from its environment, then fails.
      { id: 'hostile-cmd', system: 'core', kind: 'command', shell: true, run: `printf '\\033]0;owned\\007\\033[2J\\302\\233\\342\\200\\256evil\\377\\376 %s\\n' "$API_TOKEN"; exit 3` },
    ];
    env = { ...Object.fromEntries(Object.entries(SECRETS).filter(([k]) => !['HOOK_PATH', 'DB_PASSWORD'].includes(k))), WEBHOOK_URL: `${hook.url}/services/TF4ULT/BF4ULT/${SECRETS.HOOK_PATH}` };
    if (postgresAvailable()) {
      db = await startPostgres();
      env.DATABASE_URL = await db.createUser('probe', SECRETS.DB_PASSWORD);
      // A database error quoting an identifier full of controls.
      checks.push({ id: 'hostile-db', system: 'core', kind: 'sql', url: '${DATABASE_URL}', query: `select "${HOSTILE.replace(/\u0000/g, '')}" from pg_class` });
    }
    const config = {
      project: 'Hostile',
      timezone: 'UTC',
      people: { ann: { name: 'Ann', slack: 'U01ANN' } },
      systems: { core: { name: 'Core', leader: 'ann' } },
      defaults: { every: '1s' },
      checks,
      severities: { CRITICAL: { respond_within: '0m', notify: ['slack', 'webhook', 'console'], escalate: [] } },
      channels: {
        slack: { token: '${SLACK_BOT_TOKEN}', signing_secret: '${SLACK_SIGNING_SECRET}', channel: 'C0HOSTILE', api_url: slack.url },
        webhook: { url: '${WEBHOOK_URL}' },
      },
      matrix: './matrix.md',
      store: './data/imos.json',
    };
    fs.writeFileSync(path.join(dir, 'imos.yaml'), YAML.stringify(config));
    fs.writeFileSync(
      path.join(dir, 'matrix.md'),
      Buffer.concat([
        Buffer.from(`| Table | System | Status | Notes |\n|---|---|---|---|\n| customers | core | done | ${HOSTILE} |\n| ${HOSTILE.slice(0, 12)}orders | core | blocked | `),
        INVALID_UTF8,
        Buffer.from(' |\n'),
      ]),
    );
    const pair = `probe:${SECRETS.PROBE_PASSWORD}`;
    forms = [
      ...Object.values(SECRETS),
      Buffer.from(pair).toString('base64').replace(/=+$/, ''),
      Buffer.from(`:${SECRETS.SLACK_BOT_TOKEN}`).toString('base64').replace(/=+$/, ''),
    ];

    const standup = await imos(['standup', 'add', '--system', 'core', '--done', `shipped ${HOSTILE}`, '--next', `more ${HOSTILE}`, '--blocker', `waiting ${HOSTILE}`, '--as', 'ann']);
    expect(standup.exitCode).toBe(0);

    const daemon = startImos(['daemon'], { cwd: dir, env });
    await waitFor('the alerts and a failed webhook notice', daemon, 30_000, async () => {
      const run = await execa(process.execPath, [IMOS_BIN, 'notify', 'outbox', '--json'], { cwd: dir, env: { ...process.env, ...env }, reject: false });
      const rows = JSON.parse(String(run.stdout) || '[]') as Array<{ channel: string; state: string }>;
      return rows.some((r) => r.channel === 'webhook' && r.state === 'failed') && slack.messages.length > 0 ? true : undefined;
    });
    await stopImos(daemon);
    shown.push({ what: 'the daemon log', text: daemon.stderr() + daemon.stdout() });
    count('hostile sources', checks.length + 2);
  }, 90_000);

  it('shows none of it: every command, report and API answer, scanned', async () => {
    const commands = [
      ['check', '--json'],
      ['status'],
      ['status', '--json'],
      ['alerts', '--all'],
      ['matrix'],
      ['standup', 'list'],
      ['today'],
      ['report', 'daily'],
      ['report', 'weekly', '--format', 'json'],
      ['notify', 'outbox', '--all'],
    ];
    // Four at a time: each is a process start.
    for (let i = 0; i < commands.length; i += 4) await Promise.all(commands.slice(i, i + 4).map((args) => imos(args)));
    // The screen: the console in a real terminal (tmux). An OSC would have retitled the pane.
    if (hasTmux) {
      const tmux = new Tmux(`imos-hostile-${process.pid}`);
      try {
        tmux.start('screen', dir, `${consoleEnv(env as Record<string, string>)} ${imosCommand()}`);
        const overview = await tmux.waitFor('screen', (screen) => screen.includes('evil') && /[1-9] active/.test(screen), 20_000);
        // The alert center zoomed, its first alert's detail open: the messages in full.
        tmux.keys('screen', '4', 'f');
        const alerts = await tmux.waitFor('screen', (screen) => /exit 3|query failed|Internal Server Error/.test(screen));
        shown.push({ what: 'the console (overview)', text: overview }, { what: 'the console (alert center)', text: alerts });
        expect(tmux.run('display-message', '-p', '-t', 'screen', '#{pane_title}')).not.toContain('owned');
        count('screens scanned', 2);
      } finally {
        tmux.kill();
      }
    }
    const serve = startImos(['serve', '--port', '0'], { cwd: dir, env });
    const url = await waitFor('imos serve', serve, 15_000, () => serve.stderr().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]);
    for (const route of ['/api/status', '/api/alerts', '/api/alerts?all=1', '/metrics', '/dashboard']) {
      const res = await fetch(`${url}${route}`);
      const buffer = Buffer.from(await res.arrayBuffer());
      expect(Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer), `${route}: valid UTF-8`).toBe(true);
      const text = buffer.toString('utf8');
      // JSON escapes controls (\u001b): what a client decodes is what counts.
      const decoded = route.startsWith('/api/') ? collectStrings(JSON.parse(text)).join('\n') : text;
      shown.push({ what: `GET ${route}`, text: decoded });
      if (route.startsWith('/api/')) shown.push({ what: `GET ${route} (raw)`, text });
    }
    await stopImos(serve);
    shown.push({ what: 'the serve log', text: serve.stderr() });

    // The hostile text did arrive (so that its absence below means something).
    const everything = shown.map((s) => s.text).join('\n');
    expect(everything).toContain('evil');
    expect(everything).toContain('waiting evil'); // the standup's blocker
    for (const { what, text } of shown) {
      expect(CONTROL.exec(text)?.[0], `${what}: a terminal control`).toBeUndefined();
      expect(forms.filter((f) => text.includes(f)), `${what}: a secret`).toEqual([]);
      count('outputs scanned');
      count('bytes scanned', text.length);
    }
    // Nor in any file of the store (results, alerts, outbox, audit, history, lease).
    for (const name of fs.readdirSync(path.join(dir, 'data'))) {
      const text = fs.readFileSync(path.join(dir, 'data', name), 'utf8');
      expect(forms.filter((f) => text.includes(f)), `${name}: a secret`).toEqual([]);
      count('store files scanned');
    }
    // What reached Slack carries no secret either.
    expect(forms.filter((f) => JSON.stringify(slack.messages).includes(f))).toEqual([]);
    count('secrets looked for', forms.length);
  }, 90_000);

  it('refuses forged, stale, unsigned, malformed, oversized and replayed (across a restart) Slack requests', async () => {
    const secret = SECRETS.SLACK_SIGNING_SECRET;
    const serve = async (): Promise<{ run: Running; url: string }> => {
      const run = startImos(['serve', '--port', '0'], { cwd: dir, env });
      return { run, url: await waitFor('imos serve', run, 15_000, () => run.stderr().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]) };
    };
    const first = await serve();
    const status = async (body: string, headers: Record<string, string>, kind: string, expected: number) => {
      const res = await postSlack(first.url, body, headers);
      await res.body?.cancel();
      expect(res.status, `${kind}: ${body.slice(0, 80)}`).toBe(expected);
      count(`slack ${kind} refused`);
    };
    const press = (alert: string) => ackPayload(alert, { id: 'U01ANN', username: 'ann' }, 'imos_ack', slack.url.replace(/\/api\/$/, '/actions/T/1/x'));
    const quick = { numRuns: 60, seed: SEED, endOnFailure: true };

    // Forged: another secret, or the body changed after signing.
    await fc.assert(fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }).filter((x) => x !== secret), async (wrong) => status(press('A1'), signed(press('A1'), Date.now(), wrong), 'forged', 401)), quick);
    await status(press('A2'), signed(press('A1'), Date.now(), secret), 'forged', 401);
    // Stale or from the future: more than five minutes off.
    await fc.assert(fc.asyncProperty(fc.integer({ min: 301, max: 10_000_000 }), fc.boolean(), async (seconds, ahead) => status(press('A1'), signed(press('A1'), Date.now() + (ahead ? 1 : -1) * seconds * 1000, secret), 'stale', 401)), quick);
    // Unsigned or with mangled headers.
    const headerText = fc.string({ maxLength: 80 });
    await fc.assert(fc.asyncProperty(headerText, headerText, async (timestamp, signature) => status(press('A1'), { 'x-slack-request-timestamp': timestamp.replace(/[^\x20-\x7e]/g, ''), 'x-slack-signature': signature.replace(/[^\x20-\x7e]/g, '') }, 'unsigned', 401)), quick);
    // Malformed but correctly signed: any payload that is not a button press of imos is a 400, never a 500.
    let nonce = 0;
    const payload = fc.oneof(fc.string({ maxLength: 200 }), yamlValue.map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('null', '[]', '{}', '{"type":"block_actions"}', '{"type":"block_actions","actions":[null],"user":null}'));
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, asForm) => {
        // Each body unique: the same body signed in the same second is a replay (refused with 401).
        nonce++;
        const body = asForm ? new URLSearchParams({ payload: p, nonce: String(nonce) }).toString() : `${p}&nonce=${nonce}`;
        await status(body, signed(body, Date.now(), secret), 'malformed', 400);
      }),
      { ...quick, numRuns: 300 },
    );
    // Oversized: answered 413 (not a reset), with or without a Content-Length.
    const big = 'payload=' + 'x'.repeat(1024 * 1024);
    await status(big, signed(big, Date.now(), secret), 'oversized', 413);

    // A genuine press, then its replay after a restart.
    const genuine = press('A1');
    const headers = signed(genuine, Date.now(), secret);
    expect((await postSlack(first.url, genuine, headers)).status).toBe(200);
    await stopImos(first.run);
    const second = await serve();
    const replay = await postSlack(second.url, genuine, headers);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toMatch(/replay/);
    count('slack replayed refused');
    await stopImos(second.run);
    shown.length = 0;
    shown.push({ what: 'the serve logs', text: first.run.stderr() + second.run.stderr() });
    for (const { what, text } of shown) {
      expect(CONTROL.exec(text)?.[0], `${what}: a terminal control`).toBeUndefined();
      expect(forms.filter((f) => text.includes(f)), `${what}: a secret`).toEqual([]);
    }
  }, 90_000);
});

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) (out.push(k), collectStrings(v, out));
  return out;
}
