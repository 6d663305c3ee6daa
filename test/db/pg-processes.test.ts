// The PostgreSQL store between real processes on "several hosts": every daemon, writer and reader
// is its own process with its own working directory, host name (a UTS namespace, see
// helpers/hosts.ts) and database role, all on one throwaway PostgreSQL. The daemons are the real
// `imos daemon` (bin/imos.js → dist), the writers run the real CLI, and Slack is a loopback server
// that knows which host sent each call (one token per host).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { AuditEntry, OutboxMessage } from '../../src/model.js';
import { openStore } from '../../src/store/open.js';
import { buildWorker, startWorker, type WorkerProcess } from '../helpers/build-worker.js';
import { IMOS_BIN } from '../helpers/cli.js';
import { HANG_MS } from '../helpers/bounds.js';
import { hostsUnavailable, startOnHost } from '../helpers/hosts.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { compareSlackWithOutbox } from '../helpers/slack-count.js';
import { makeAlert } from '../helpers/alerts.js';
import { quantile, switchableTarget, teamYaml, waitUntil } from '../helpers/poller-team.js';

const WRITER = 'test/workers/cli-writer.ts';
const ACTIONS = 'test/workers/store-actions.ts';
const READER = 'test/workers/store-reader.ts';
const noHosts = hostsUnavailable();
if (noHosts) console.warn(`[pg-processes] skipped: ${noHosts}`);

let cluster: TestPostgres;
let root: string;
const running: WorkerProcess[] = [];
const teams: Team[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-pg-procs-'));
  [cluster] = await Promise.all([startPostgres({ settings: { max_connections: '100' } }), buildWorker(WRITER), buildWorker(ACTIONS), buildWorker(READER)]);
});

afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (p) => {
      p.kill('SIGKILL');
      await p.exited;
    }),
  );
  await Promise.all(teams.splice(0).map((t) => t.close()));
});

afterAll(async () => {
  await cluster?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One team's store: a database, and a login role per host (each host has its own credentials). */
interface Team {
  name: string;
  /** The superuser's URL (the test's own look at the database). */
  url: string;
  /** The test's own look at the tables (one connection, opened again after a server restart). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  urlFor(host: string): Promise<string>;
  close(): Promise<void>;
}

async function team(name: string): Promise<Team> {
  const url = await cluster.createDatabase(name);
  // The schema is applied once by the owner; each host's role is a member of it (as a team's roles
  // would be of a group role that owns the store's tables).
  await (await openStore(url)).close();
  const roles = new Map<string, string>();
  let client: pg.Client | null = null;
  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> => {
    if (!client) {
      const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      fresh.on('error', () => {
        if (client === fresh) client = null;
      });
      await fresh.connect();
      client = fresh;
    }
    const current = client;
    try {
      return (await current.query<R>(text, values)).rows;
    } catch (error) {
      if (client === current && !(error as { code?: string }).code) client = null; // the connection, not the statement
      throw error;
    }
  };
  const t: Team = {
    name,
    url,
    query,
    async urlFor(host) {
      let roleUrl = roles.get(host);
      if (!roleUrl) {
        const role = `${name}_${host.replace(/-/g, '_')}`;
        await cluster.query(`create role "${role}" login password 'pw-${role}'`);
        await cluster.query(`grant test to "${role}"`);
        roleUrl = cluster.urlFor(name, role, `pw-${role}`);
        roles.set(host, roleUrl);
      }
      return roleUrl;
    },
    close: async () => {
      await client?.end().catch(() => {});
      client = null;
    },
  };
  teams.push(t);
  return t;
}

/** A host's working directory with the team's configuration. */
function workspace(host: string, yaml: string): string {
  const dir = path.join(root, host);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'imos.yaml'), yaml);
  return dir;
}

function hostEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.CI;
  return env;
}

interface LeaseRow {
  token: string | null;
  pid: number | null;
  host: string | null;
  epoch: string;
  since: Date | null;
  renewed_at: Date | null;
}

async function leaseRow(t: Team): Promise<LeaseRow> {
  const rows = await t.query<LeaseRow>('select token, pid, host, epoch, since, renewed_at from imos_lease where id = 1');
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------

const slackTokenOf = (host: string) => `xoxb-${host}`;

interface Daemon {
  host: string;
  process: WorkerProcess;
}

async function startDaemon(t: Team, host: string, yaml: string): Promise<Daemon> {
  const cwd = workspace(host, yaml);
  const env = hostEnv({ IMOS_STORE_URL: await t.urlFor(host), SLACK_BOT_TOKEN: slackTokenOf(host) });
  const process_ = startOnHost(host, [process.execPath, IMOS_BIN, 'daemon'], { cwd, env });
  running.push(process_);
  return { host, process: process_ };
}

async function daemonStarted(d: Daemon): Promise<void> {
  await waitUntil(`the daemon on ${d.host} to start (stderr: ${d.process.stderr().slice(-300)})`, () => d.process.stderr().includes('imos daemon started') || d.process.child.exitCode !== null, 4 * HANG_MS);
  if (d.process.child.exitCode !== null) throw new Error(`the daemon on ${d.host} exited ${d.process.child.exitCode}: ${d.process.stderr().slice(-500)}`);
}

async function startWriter(t: Team, host: string, yaml: string, pauseMs: number): Promise<WorkerProcess> {
  const cwd = workspace(host, yaml);
  // The team's configuration needs a Slack token on every host; this one is not valid at Slack, so
  // a writer that sent anything would show as refused there.
  const env = hostEnv({ IMOS_STORE_URL: await t.urlFor(host), SLACK_BOT_TOKEN: slackTokenOf(host) });
  const script = await buildWorker(WRITER);
  const writer = startOnHost(host, [process.execPath, script, IMOS_BIN, host, String(pauseMs)], { cwd, env });
  running.push(writer);
  return writer;
}

interface WriterLine {
  actor: string;
  op: string;
  id?: string;
  note?: string;
  by?: string | null;
  ok?: boolean;
  code?: number;
  err?: string;
}

const writerLines = (w: WorkerProcess): WriterLine[] => w.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as WriterLine);

async function outboxRows(t: Team): Promise<OutboxMessage[]> {
  const rows = await t.query<{ data: OutboxMessage }>('select data from imos_outbox order by pos');
  return rows.map((r) => r.data);
}

async function auditEntries(t: Team): Promise<AuditEntry[]> {
  const rows = await t.query<{ data: AuditEntry }>('select data from imos_audit order by id');
  return rows.map((r) => r.data);
}

/**
 * What the store, the daemons and Slack show after a server restart, for a wait that ran out: the
 * daemons' logs, the checks' last runs, the alerts, the notices not sent, the lease, the daemons'
 * connections, and the writes since the restart.
 */
async function afterRestartState(t: Team, daemons: Daemon[], times: { haltAt: number; resumedAt: number }, slack: SlackApi, lastView: unknown): Promise<string> {
  const sinceMs = times.resumedAt;
  // From a little before the halt: a notice in flight when the server stopped shows.
  const fromMs = times.haltAt - 5000;
  const at = (ms: number) => `${ms - sinceMs} ms`;
  const section = async (title: string, look: () => Promise<unknown>) => {
    try {
      const seen = await look();
      return `--- ${title}:\n${(Array.isArray(seen) ? seen : [seen]).map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n')}`;
    } catch (error) {
      return `--- ${title}: could not look (${String(error)})`;
    }
  };
  const parts = [`(times relative to the server's return at ${new Date(sinceMs).toISOString()}; halted at ${at(times.haltAt)}; now ${at(Date.now())})`];
  for (const d of daemons) parts.push(`--- ${d.host} daemon (pid ${d.process.child.pid}, exit ${d.process.child.exitCode}) stderr tail:\n${d.process.stderr().slice(-3000)}`);
  parts.push(
    await section('checks (last run)', () => t.query(`select key, status, last_at, data->'last'->>'status' as last_status, data->'last'->>'error' as last_error from imos_checks order by key`)),
    await section('alerts', () => t.query(`select key, check_id, state, data->>'openedAt' as opened, data->>'resolvedAt' as resolved, data->'notified' as notified, seq from imos_alerts order by pos`)),
    await section('outbox rows not sent', () =>
      t.query(`select key, kind, alert_id, state, data->>'attempts' as attempts, next_attempt_at, claimed_by, claimed_until, data->>'claimedHost' as claimed_host, data->>'lastError' as last_error, data->>'createdAt' as created from imos_outbox where state <> 'sent' order by pos`),
    ),
    await section('lease', () => t.query('select token, pid, host, role, epoch, since, renewed_at, expires_at, clock_timestamp() as db_now from imos_lease')),
    await section('sections', () => t.query('select * from imos_sections')),
    await section('daemon connections', () =>
      t.query(`select usename, application_name, state, wait_event_type, wait_event, backend_start, xact_start, state_change, left(query, 120) as query from pg_stat_activity where usename like 'outage_host_%' order by usename, backend_start`),
    ),
    await section('writes from 5 s before the halt', async () => (await t.query<{ tbl: string; key: string; who: string; at: Date }>('select tbl, key, who, at from test_writes where at >= $1 order by id', [new Date(fromMs)])).map((w) => `${at(w.at.getTime())} ${w.who} ${w.tbl} ${w.key}`)),
    `--- Slack calls from 5 s before the halt: ${JSON.stringify(slack.calls.filter((c) => c.at >= fromMs).map((c) => `${at(c.at)} ${c.token} ${c.method} ${c.status}`))}`,
    `--- the reader's last view: ${JSON.stringify(lastView)}`,
  );
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------

interface ActionLine {
  id: string;
  op: string;
  target?: string;
  actor: string;
  ok: boolean;
  changed: boolean;
  ms: number;
  err?: string;
}

describe('the PostgreSQL store with many writers', () => {
  it('8 processes acknowledging and adding standups at once: each action that succeeded is stored and audited once, none that failed', async () => {
    const t = await team('writers');
    const systems = ['pms', 'crm', 'wms'];
    const alertIds = ['A1', 'A2', 'A3', 'A4'];
    const yaml = `project: Many writers
people:
  suno: { name: Suno }
systems:
${systems.map((s) => `  ${s}: { name: ${s.toUpperCase()}, leader: suno }`).join('\n')}
checks: []
store: \${IMOS_STORE_URL}
`;
    const seed = await openStore(t.url);
    await seed.transact('core', (tx) => {
      for (const [i, id] of alertIds.entries()) tx.put('alerts', makeAlert({ id, system: systems[i % systems.length]!, checkId: `c${i}`, fingerprint: `c${i}:DOWN` }));
    });
    await seed.close();

    // Six people through the store's API (what the CLI calls), two through the real binary.
    const workers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const id = `w${i + 1}`;
        const cwd = workspace(`writer-${id}`, yaml);
        const url = await t.urlFor(`writer-${id}`);
        // 8 s each, and at least 10 actions through the API (one through the CLI) however slow.
        const worker = await startWorker(ACTIONS, [i < 6 ? 'api' : 'cli', url, path.join(cwd, 'imos.yaml'), IMOS_BIN, id, '8000', alertIds.join(','), systems.join(','), i < 6 ? '20' : '0', i < 6 ? '10' : '1'], {
          cwd,
          env: hostEnv({ IMOS_STORE_URL: url }),
        });
        running.push(worker);
        return worker;
      }),
    );
    const exits = await Promise.all(workers.map((w) => w.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, workers[i]!.stderr().slice(-800)).toBe(0);
    const actions = workers.flatMap((w) => w.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ActionLine)).filter((a) => a.actor);

    const audit = await auditEntries(t);
    const byActor = new Map<string, AuditEntry[]>();
    for (const e of audit) byActor.set(e.actor, [...(byActor.get(e.actor) ?? []), e]);
    const reader = await openStore(t.url);
    const core = await reader.read('core');
    await reader.close();
    const versions = core.standups.flatMap((s) => [s, ...s.history].map((v) => ({ system: s.system, author: v.author, done: v.done })));
    for (const a of actions) {
      const entries = byActor.get(a.actor) ?? [];
      const what = `${a.actor} ${a.op} ${a.target ?? ''} (${a.ok ? (a.changed ? 'done' : 'no-op') : `failed: ${a.err}`})`;
      if (a.ok && a.changed) {
        expect(entries.map((e) => [e.action, e.target]), what).toEqual([[a.op, a.target]]);
      } else {
        expect(entries, what).toEqual([]);
      }
      const stored = versions.filter((v) => v.author === a.actor);
      if (a.op === 'standup' && a.ok) expect(stored, what).toEqual([{ system: a.target, author: a.actor, done: `done by ${a.actor}` }]);
      else expect(stored, what).toEqual([]);
    }
    // Nothing in the audit log that no process reported, and each alert ends as its last change left it.
    const actors = new Set(actions.map((a) => a.actor));
    expect(audit.filter((e) => !actors.has(e.actor))).toEqual([]);
    for (const alert of core.alerts) {
      const last = audit.filter((e) => e.target === alert.id).at(-1);
      expect(alert.state, `${alert.id} after ${JSON.stringify(last)}`).toBe(last?.action === 'ack' ? 'acknowledged' : 'open');
      if (last?.action === 'ack') expect(alert.acknowledgedBy).toBe(last.actor);
    }

    const done = actions.filter((a) => a.ok && a.changed);
    const viaCli = (a: ActionLine) => a.id === 'w7' || a.id === 'w8';
    const ms = actions.filter((a) => !viaCli(a)).map((a) => a.ms);
    const cliMs = actions.filter(viaCli).map((a) => a.ms);
    console.info(
      `8 writers for 8 s: ${actions.length} actions (${done.filter((a) => a.op === 'standup').length} standups, ${done.filter((a) => a.op !== 'standup').length} acknowledgements / withdrawals, ` +
        `${actions.filter((a) => a.ok && !a.changed).length} no-ops, ${actions.filter((a) => !a.ok).length} refused); through the API p50 ${quantile(ms, 0.5)} ms, p95 ${quantile(ms, 0.95)} ms, max ${Math.max(...ms)} ms; ` +
        `${cliMs.length} through the CLI (whole command) p50 ${quantile(cliMs, 0.5)} ms, max ${Math.max(...cliMs)} ms`,
    );
    expect(done.filter((a) => a.op === 'standup').length).toBeGreaterThan(10);
    expect(done.filter((a) => a.op !== 'standup').length).toBeGreaterThan(10);
    expect(actions.filter((a) => a.op === 'error')).toEqual([]);
    for (const cli of ['w7', 'w8']) expect(actions.filter((a) => a.id === cli).length, `${cli}'s commands`).toBeGreaterThan(0);
  }, 180_000); // 8 processes at once, each at least 8 s: far longer on a loaded machine
});

// ---------------------------------------------------------------------------------------------

describe.skipIf(noHosts !== null)('the PostgreSQL store across hosts', () => {
  it('two daemons, three CLI writers: the holder killed 20 times, taken over every time (the takeover times printed), no notice lost or sent twice', async () => {
    const t = await team('takeover');
    const checks = ['api-1', 'api-2', 'api-3'];
    const { target, up } = await switchableTarget(checks);
    const hosts = ['host-a', 'host-b'];
    const writerHosts = ['host-c', 'host-d', 'host-e'];
    const slack = await startSlackApi(slackTokenOf('host-a'), { extraTokens: ['host-b'].map(slackTokenOf) });
    const yaml = teamYaml({ project: 'Team on several hosts', target, slack, checks, store: '${IMOS_STORE_URL}', signingSecret: 'test-signing' });
    const config = loadConfigText(yaml, path.join(root, 'check.yaml'), { env: { SLACK_BOT_TOKEN: slack.token, IMOS_STORE_URL: t.url } });
    const flips: NodeJS.Timeout[] = [];
    try {
      const daemons = new Map<string, Daemon>();
      daemons.set('host-a', await startDaemon(t, 'host-a', yaml));
      await daemonStarted(daemons.get('host-a')!);
      daemons.set('host-b', await startDaemon(t, 'host-b', yaml));
      await daemonStarted(daemons.get('host-b')!);
      // Each command of a writer is a whole CLI process: 3 s apart, so that on a loaded machine they
      // leave the daemons' (re)starts some CPU, and still act many times through the kills.
      const writers = await Promise.all(writerHosts.map((h) => startWriter(t, h, yaml, 3000)));

      // Alerts open, escalate, get acknowledged and resolve all the time: each check flips on its own beat.
      checks.forEach((id, i) => {
        flips.push(setInterval(() => up.set(id, !up.get(id)), [2300, 3700, 5900][i]!));
      });

      const takeovers: Array<{ ms: number; by: string; from: string }> = [];
      /** How long each restarted daemon took to start (what a kill costs a loaded machine most). */
      const restarts: number[] = [];
      const killsFrom = Date.now();
      let holdingSince = Date.now();
      for (let kill = 1; kill <= 20; kill++) {
        const before = await waitUntil('a live holder', async () => {
          const row = await leaseRow(t);
          return row.token && [...daemons.values()].some((d) => d.process.child.pid === row.pid) ? row : null;
        }, 15_000, 25);
        // Killed mid-work, 0.3 to 1.2 s after it took over (the restarted daemon's start counts).
        await sleep(300 + Math.random() * 900 - (Date.now() - holdingSince));
        const [victimHost, victim] = [...daemons.entries()].find(([, d]) => d.process.child.pid === before.pid)!;
        const killedAt = Date.now();
        victim.process.kill('SIGKILL');
        await victim.process.exited;
        // A daemon that dies is restarted on its host (as its service manager would): always two.
        const restarted = await startDaemon(t, victimHost, yaml);
        daemons.set(victimHost, restarted);
        const after = await waitUntil(`a new holder after kill ${kill}`, async () => {
          const row = await leaseRow(t);
          return row.token && row.token !== before.token ? row : null;
        }, 15_000, 20);
        holdingSince = Date.now();
        const ms = after.since!.getTime() - killedAt;
        takeovers.push({ ms, by: `${after.host} pid ${after.pid}${after.pid === restarted.process.child.pid ? ' (restarted)' : ''}`, from: `${before.host} pid ${before.pid}` });
        await daemonStarted(restarted);
        restarts.push(Date.now() - killedAt);
      }
      const figures = takeovers.map((x) => x.ms);
      console.info(
        `takeover after kill -9 (20 kills): max ${Math.max(...figures)} ms, p50 ${quantile(figures, 0.5)} ms; ` +
          `by the other host ${takeovers.filter((x) => !x.by.includes('restarted')).length}, by the restarted daemon ${takeovers.filter((x) => x.by.includes('restarted')).length}; ` +
          `the 20 kills took ${Math.round((Date.now() - killsFrom) / 1000)} s (a restarted daemon was up after p50 ${quantile(restarts, 0.5)} ms, max ${Math.max(...restarts)} ms)`,
      );
      // A generous bound that only catches a lease never taken over (test/helpers/bounds.ts): the
      // takeover times themselves are printed above, not held to a figure a loaded machine misses.
      for (const [i, x] of takeovers.entries()) expect(x.ms, `kill ${i + 1}: ${x.from} → ${x.by}`).toBeLessThan(HANG_MS);

      // Enough traffic for the counts below to mean something, however fast the kills went (the
      // checks go on flipping until then).
      await waitUntil('21 notices sent', async () => (await outboxRows(t)).filter((r) => r.state === 'sent').length > 20, 4 * HANG_MS, 200);
      // Quiet down: every check up, every alert resolves, the outbox drains.
      flips.forEach(clearInterval);
      for (const id of checks) up.set(id, true);
      for (const w of writers) w.kill('SIGTERM');
      await Promise.all(writers.map((w) => w.exited));
      await waitUntil('every alert resolved and every notice sent', async () => {
        const rows = await t.query<{ open: string; pending: string }>(
          `select (select count(*) from imos_alerts where state <> 'resolved') as open, (select count(*) from imos_outbox where state <> 'sent') as pending`,
        );
        return Number(rows[0]!.open) === 0 && Number(rows[0]!.pending) === 0;
      }, 40_000, 200).catch(async (error: unknown) => {
        const unsent = (await outboxRows(t)).filter((r) => r.state !== 'sent');
        const open = await t.query(`select key, state from imos_alerts where state <> 'resolved'`);
        throw new Error(`${String(error)}; unresolved alerts ${JSON.stringify(open)}; unsent notices ${JSON.stringify(unsent)}; lease ${JSON.stringify(await leaseRow(t))}`);
      });
      let calls = -1;
      await waitUntil('Slack to go quiet', () => {
        const quiet = slack.calls.length === calls;
        calls = slack.calls.length;
        return quiet;
      }, 20_000, 1500);

      const rows = await outboxRows(t);
      const audit = await auditEntries(t);
      const { lost, duplicated, unexpected } = compareSlackWithOutbox(slack, rows, config);
      const notifyAudit = audit.filter((e) => e.action === 'notify');
      const auditedRows = new Map<string, number>();
      for (const e of notifyAudit) auditedRows.set(String(e.detail?.row), (auditedRows.get(String(e.detail?.row)) ?? 0) + 1);
      const sent = rows.filter((r) => r.state === 'sent');
      console.info(
        `notices: ${sent.length} sent (${rows.filter((r) => r.kind === 'alert').length} alerts, ${rows.filter((r) => r.kind === 'escalation').length} escalations, ` +
          `${rows.filter((r) => r.kind === 'ack').length} acks, ${rows.filter((r) => r.kind === 'resolved').length} resolutions); ` +
          `Slack: ${slack.topLevel().length} messages, ${slack.messages.length - slack.topLevel().length} replies; lost ${lost.length}, duplicated ${duplicated.length}`,
      );
      expect(sent.length).toBeGreaterThan(20);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(unexpected).toEqual([]);
      expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
      for (const row of sent) expect(auditedRows.get(row.id), `audit entries for ${row.id}`).toBe(1);
      expect(notifyAudit).toHaveLength(sent.length);

      // The writers' acknowledgements: each that took effect is in the audit log once, none other.
      const acks = writers.flatMap(writerLines).filter((l) => l.op === 'ack');
      const ackAudit = audit.filter((e) => e.action === 'ack');
      for (const a of acks) {
        const entries = ackAudit.filter((e) => e.note === a.note);
        expect(entries, `${a.actor} ack ${a.id} (${a.note}): ${JSON.stringify(a)}`).toHaveLength(a.ok && a.by === a.actor ? 1 : 0);
      }
      const commands = writers.flatMap(writerLines).filter((l) => l.op !== 'ready' && l.op !== 'stopped');
      console.info(`writers: ${commands.length} commands (${acks.filter((a) => a.ok && a.by === a.actor).length} acknowledgements took effect), ${commands.filter((c) => !c.ok).length} failed`);
      expect(commands.filter((c) => !c.ok && c.op !== 'ack')).toEqual([]);

      for (const d of daemons.values()) d.process.kill('SIGTERM');
      for (const d of daemons.values()) expect((await d.process.exited).code, d.process.stderr().slice(-500)).toBe(0);
    } finally {
      flips.forEach(clearInterval);
      await Promise.all([target.close(), slack.close()]);
    }
    // Each kill waits for the restarted daemon to be up (always two): 3 to 4 s on an idle machine,
    // 15 to 30 s at a load of 20 on two cores. A hang bound of 25 s a kill, and time to quiet down.
  }, 20 * 25_000 + 120_000);

  it('the holder cut off from the database, then the server restarted: the old holder stops acting, another takes over, readers catch up', async () => {
    const t = await team('outage');
    const checks = ['api-1', 'api-2', 'api-3', 'api-4'];
    const { target, up } = await switchableTarget(checks);
    const slack = await startSlackApi(slackTokenOf('host-a'), { extraTokens: ['host-b'].map(slackTokenOf) });
    const yaml = teamYaml({ project: 'Team on several hosts', target, slack, checks, store: '${IMOS_STORE_URL}', signingSecret: 'test-signing' });
    const roleOf = (host: string) => `outage_${host.replace(/-/g, '_')}`;
    // Who wrote what, as the database saw it: each host connects as its own role.
    await t.query(`create table test_writes (id bigserial primary key, tbl text, key text, who text, app text, at timestamptz not null default clock_timestamp());
      create function test_note_write() returns trigger language plpgsql as $$ begin
        insert into test_writes (tbl, key, who, app) values (TG_TABLE_NAME, coalesce(to_jsonb(NEW)->>'key', to_jsonb(NEW)->>'id'), current_user, current_setting('application_name'));
        return NEW; end $$;
      create trigger test_alerts after insert or update on imos_alerts for each row execute function test_note_write();
      create trigger test_outbox after insert or update on imos_outbox for each row execute function test_note_write();
      create trigger test_audit after insert on imos_audit for each row execute function test_note_write();`);
    const writesSince = (at: number) => t.query<{ tbl: string; key: string; who: string; app: string; at: Date }>('select tbl, key, who, app, at from test_writes where at >= $1 order by id', [new Date(at)]);
    const holderIs = async (host: string) => {
      const row = await leaseRow(t);
      return row.host === host ? row : null;
    };
    try {
      const a = await startDaemon(t, 'host-a', yaml);
      await daemonStarted(a);
      await waitUntil('host-a to hold the lease', () => holderIs('host-a'), HANG_MS);
      const b = await startDaemon(t, 'host-b', yaml);
      await daemonStarted(b);
      const readerUrl = await t.urlFor('host-r');
      const reader = startOnHost('host-r', [process.execPath, await buildWorker(READER), readerUrl], { cwd: workspace('host-r', yaml), env: hostEnv({}) });
      running.push(reader);
      type View = { t: number; connected: boolean; problem: string | null; alerts: Array<{ id: string; state: string; by: string | null }>; standups: number; holder: string | null; error?: string };
      const views = () => reader.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as View);
      await waitUntil('the reader', () => views().length > 0, 20_000);

      // --- The holder loses the database while Slack is slow and it has notices in hand.
      slack.delayMs = 2000;
      for (const id of ['api-1', 'api-2', 'api-3']) up.set(id, false);
      const firstCall = await waitUntil('host-a sending to Slack', () => slack.calls.find((c) => c.token === slackTokenOf('host-a')), 20_000, 20);
      await t.query(`alter role ${roleOf('host-a')} nologin`);
      const cut = await t.query<{ app: string; at: Date }>(
        `select application_name as app, pg_terminate_backend(pid, 5000), clock_timestamp() as at from pg_stat_activity where usename = $1`,
        [roleOf('host-a')],
      );
      // From here host-a has no connection and can open none.
      const cutAt = Math.max(...cut.map((c) => c.at.getTime()));
      slack.delayMs = 0;
      const taken = await waitUntil('host-b to take over', () => holderIs('host-b'), 15_000, 25);
      const takenAt = taken.since!.getTime();
      // While host-a is away: a person on host-w acknowledges one alert; another check recovers.
      // The checks' alerts only: a missing-standup alert may open too, depending on the time of day.
      const open = await waitUntil('three alerts', async () => {
        const rows = await t.query<{ key: string; check_id: string }>(`select key, check_id from imos_alerts where state = 'open' and check_id like 'api-%' order by key`);
        return rows.length === 3 ? rows : null;
      }, 15_000);
      const acked = open.find((r) => r.check_id === 'api-1')!.key;
      const ack = startOnHost('host-w', [process.execPath, IMOS_BIN, 'ack', acked, '--as', 'host-w', '--note', 'on it'], {
        cwd: workspace('host-w', yaml),
        env: hostEnv({ IMOS_STORE_URL: await t.urlFor('host-w'), SLACK_BOT_TOKEN: slackTokenOf('host-w') }),
      });
      running.push(ack);
      expect((await ack.exited).code, ack.stderr()).toBe(0);
      up.set('api-2', true);
      const drained = async () => (await t.query<{ n: string }>(`select count(*) as n from imos_outbox where state <> 'sent'`))[0]!.n === '0';
      await waitUntil('host-b to resolve api-2 and send every notice', async () => (await t.query(`select 1 from imos_alerts where check_id = 'api-2' and state = 'resolved'`)).length === 1 && (await drained()), 20_000, 100);
      // host-a may come back now: it must find the lease taken and do nothing.
      await t.query(`alter role ${roleOf('host-a')} login`);
      await waitUntil('host-a to reconnect', async () => (await t.query(`select 1 from pg_stat_activity where usename = $1`, [roleOf('host-a')])).length > 0, 15_000, 100);
      await sleep(1500);

      const aCalls = slack.calls.filter((c) => c.token === slackTokenOf('host-a'));
      const late = aCalls.filter((c) => c.at > cutAt);
      const aWrites = await writesSince(cutAt);
      console.info(
        `cut off: host-a's ${cut.length} connections (${[...new Set(cut.map((c) => c.app))].sort().join(', ')}) terminated; host-b took over ${takenAt - cutAt} ms later; ` +
          `host-a's Slack calls after the cut: ${late.length}; its writes after the cut: ${aWrites.filter((w) => w.who === roleOf('host-a')).length}`,
      );
      expect(cut.length).toBeGreaterThan(0);
      expect(takenAt - cutAt).toBeLessThan(HANG_MS);
      expect(firstCall.at).toBeLessThanOrEqual(cutAt);
      expect(late, 'host-a sent after it was cut off').toEqual([]);
      expect(aWrites.filter((w) => w.who === roleOf('host-a')), 'host-a wrote after it was cut off').toEqual([]);
      // After the takeover, every change is host-b's (the poller) or host-w's (the acknowledgement).
      expect([...new Set((await writesSince(takenAt)).map((w) => w.who))].sort()).toEqual([roleOf('host-b'), roleOf('host-w')]);
      expect(slack.calls.filter((c) => c.at >= takenAt && c.token !== slackTokenOf('host-b'))).toEqual([]);
      expect(b.process.stderr()).toContain('holding the poller lease');
      expect(a.process.stderr()).toMatch(/lost the poller lease|poller lease: /);
      const config = loadConfigText(yaml, path.join(root, 'check.yaml'), { env: { SLACK_BOT_TOKEN: slack.token, IMOS_STORE_URL: t.url } });
      const afterCut = compareSlackWithOutbox(slack, await outboxRows(t), config);
      expect(afterCut.lost).toEqual([]);
      expect(afterCut.duplicated).toEqual([]);
      expect(afterCut.unexpected).toEqual([]);

      // --- The server restarts. Meanwhile api-3 recovers and api-4 fails.
      const leaseLog: LeaseRow[] = [];
      let watching = true;
      const leaseWatch = (async () => {
        for (let i = 0; i < 10_000 && watching; i++) {
          const row = await leaseRow(t).catch(() => null);
          if (row?.token && leaseLog.at(-1)?.token !== row.token) leaseLog.push(row);
          await sleep(50);
        }
      })();
      const haltAt = Date.now();
      await cluster.halt();
      up.set('api-3', true);
      up.set('api-4', false);
      await waitUntil('the reader to say it is disconnected', () => views().some((v) => v.t > haltAt && !v.connected), HANG_MS);
      await sleep(1000);
      await cluster.resume();
      const resumedAt = Date.now();
      const renewed = await waitUntil('a holder renewing after the restart', async () => {
        const row = await leaseRow(t).catch(() => null);
        return row?.renewed_at && row.renewed_at.getTime() >= resumedAt ? row : null;
      }, HANG_MS, 25);
      const holdingAgainMs = renewed.renewed_at!.getTime() - resumedAt;
      const writer = startOnHost('host-w', [process.execPath, IMOS_BIN, 'standup', 'add', '--system', 'pms', '--done', 'after the restart', '--next', 'more', '--as', 'host-w'], {
        cwd: workspace('host-w', yaml),
        env: hostEnv({ IMOS_STORE_URL: await t.urlFor('host-w'), SLACK_BOT_TOKEN: slackTokenOf('host-w') }),
      });
      running.push(writer);
      expect((await writer.exited).code, writer.stderr()).toBe(0);
      const settled = await waitUntil('api-3 resolved and api-4 open, every notice sent', async () => {
        const rows = await t.query<{ check_id: string; state: string }>(`select check_id, state from imos_alerts where check_id in ('api-3', 'api-4') and state <> 'resolved'`);
        return rows.length === 1 && rows[0]!.check_id === 'api-4' && (await drained()) ? rows : null;
      }, 30_000, 100).catch(async (error: unknown) => {
        // Stuck: say what the store and the daemons show, so a failure in CI tells where.
        throw new Error(`${(error as Error).message}\n${await afterRestartState(t, [a, b], { haltAt, resumedAt }, slack, views().at(-1))}`);
      });
      if (process.env.IMOS_TEST_RESTART_TRACE) console.info(`TRACE settled ${Date.now() - resumedAt} ms after the return\n${await afterRestartState(t, [a, b], { haltAt, resumedAt }, slack, views().at(-1))}`);
      expect(settled).toHaveLength(1);
      const stored = (await t.query<{ key: string; state: string; by: string | null }>(`select key, state, data->>'acknowledgedBy' as by from imos_alerts order by pos`)).map((r) => ({ id: r.key, state: r.state, by: r.by }));
      const standups = Number((await t.query<{ n: string }>('select count(*) as n from imos_standups'))[0]!.n);
      const caughtUp = await waitUntil('the reader to show what changed', () => {
        const last = views().at(-1);
        return last && last.connected && JSON.stringify(last.alerts) === JSON.stringify(stored) && last.standups === standups ? last : null;
      }, 15_000);
      const reconnectedAt = views().find((v) => v.t > resumedAt && v.connected)!.t;
      watching = false;
      await leaseWatch;

      // After the restart: writes and Slack calls come from whoever held the lease at that moment.
      const holderAt = (ms: number) => [...leaseLog].reverse().find((row) => row.since!.getTime() <= ms)?.host ?? null;
      const afterRestart = (await writesSince(resumedAt)).filter((w) => w.who !== roleOf('host-w'));
      for (const w of afterRestart) expect(`${w.tbl} ${w.key} by ${w.who}`).toBe(`${w.tbl} ${w.key} by ${roleOf(holderAt(w.at.getTime()) ?? 'nobody')}`);
      for (const c of slack.calls.filter((call) => call.at >= resumedAt)) expect(c.token).toBe(slackTokenOf(holderAt(c.at) ?? 'nobody'));
      // On a loaded machine the lease may change hands while status runs: it names the holder of
      // the moment it asked, the one before it started or the one after it ended.
      const holderBefore = (await leaseRow(t)).host;
      const status = startOnHost('host-w', [process.execPath, IMOS_BIN, 'status', '--json'], {
        cwd: workspace('host-w', yaml),
        env: hostEnv({ IMOS_STORE_URL: await t.urlFor('host-w'), SLACK_BOT_TOKEN: slackTokenOf('host-w') }),
      });
      running.push(status);
      expect((await status.exited).code, status.stderr()).toBe(0);
      const report = JSON.parse(status.lines.join('\n')) as { poller: { host: string } | null; alerts: Array<{ id: string; state: string; checkId: string; acknowledgedBy: string | null }> };
      expect([holderBefore, (await leaseRow(t)).host]).toContain(report.poller?.host);
      expect(report.alerts.map((x) => [x.checkId, x.state, x.acknowledgedBy])).toEqual([
        ['api-1', 'acknowledged', 'host-w'],
        ['api-4', 'open', null],
      ]);
      const final = compareSlackWithOutbox(slack, await outboxRows(t), config);
      expect(final.lost).toEqual([]);
      expect(final.duplicated).toEqual([]);
      expect(final.unexpected).toEqual([]);
      console.info(
        `server restart: down ${resumedAt - haltAt} ms; the reader reconnected ${reconnectedAt - resumedAt} ms after it came back and showed every change ${caughtUp.t - resumedAt} ms after; ` +
          `the poller lease renewed ${holdingAgainMs} ms after it came back, by ${leaseLog.filter((row) => row.since!.getTime() >= haltAt).map((row) => `${row.host} (taken over)`).join(', ') || `${leaseLog.at(-1)!.host} (kept over the restart)`}`,
      );
      expect(holdingAgainMs).toBeLessThan(HANG_MS);
      for (const d of [a, b]) d.process.kill('SIGTERM');
      for (const d of [a, b]) expect((await d.process.exited).code, d.process.stderr().slice(-500)).toBe(0);
      reader.kill('SIGTERM');
    } finally {
      await Promise.all([target.close(), slack.close()]);
    }
  }, 240_000); // some fifteen bounded waits for processes on a loaded machine
});
