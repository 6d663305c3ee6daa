// One read-only database session per check run: a pooled connection (one pool per URL, kept in
// the engine's ResourceRegistry), a `BEGIN READ ONLY` transaction with a statement_timeout that
// fits inside the check's time budget, and cancellation when the budget runs out or the engine
// aborts. Queries use the extended protocol: one statement each, parameters never spliced in.
// A pool whose connections died (server restarted) is dropped, and a failed connect leaves
// nothing behind: a database that comes back is picked up by the next run, without a restart.
import { createHash } from 'node:crypto';
import { connect, Socket } from 'node:net';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { CheckContext } from '../types.js';
import { classifyPgError, timeoutFailure, type PgFailure } from './errors.js';
import { quoteIdent } from './names.js';
import { describeTarget, isPostgresUrl, urlSchema, type PgTarget } from './target.js';

/** The time a check run may take, shared by every session of the run (sync-lag uses two). */
export interface Budget {
  signal: AbortSignal;
  timeoutMs: number;
  remainingMs(): number;
  /** True once the budget ran out (as opposed to the engine cancelling the run). */
  expired(): boolean;
  dispose(): void;
}

export function startBudget(ctx: Pick<CheckContext, 'signal' | 'timeoutMs'>): Budget {
  const started = performance.now();
  const timeoutMs = Math.max(1, ctx.timeoutMs);
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(new Error('check timeout')), timeoutMs);
  const signal = AbortSignal.any([ctx.signal, own.signal]);
  return {
    signal,
    timeoutMs,
    remainingMs: () => Math.max(0, timeoutMs - (performance.now() - started)),
    expired: () => own.signal.aborted || performance.now() - started >= timeoutMs * 0.95,
    dispose: () => clearTimeout(timer),
  };
}

export interface Session {
  /** Rows as objects. */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Rows as arrays (for user queries whose column names are unknown or repeated). */
  queryArrays(text: string, values?: unknown[]): Promise<unknown[][]>;
}

export type PgRun<T> =
  | { ok: true; value: T; connectMs: number; target: PgTarget }
  | { ok: false; failure: PgFailure; target: PgTarget };

const POOL_MAX = 4;
const IDLE_MS = 30_000;

function poolKey(url: string): string {
  // The key holds no password: registries may be listed for diagnostics.
  return 'pg:' + createHash('sha256').update(url).digest('hex').slice(0, 32);
}

let pgModule: typeof import('pg') | undefined;
async function loadPg(): Promise<typeof import('pg')> {
  // pg is loaded on first use: the console's first frame does not need it.
  pgModule ??= ((await import('pg')) as unknown as { default: typeof import('pg') }).default;
  return pgModule;
}

function poolOptions(url: string, timeoutMs: number) {
  return {
    connectionString: url,
    max: POOL_MAX,
    idleTimeoutMillis: IDLE_MS,
    // Bounds a hung connect even if nobody aborts it; runs abort sooner through their budget.
    connectionTimeoutMillis: Math.min(Math.max(timeoutMs, 1000), 60_000),
    allowExitOnIdle: true,
    keepAlive: true,
    application_name: 'imos',
  };
}

/** A pool and a signal that fires when it is dropped, so runs queued inside it move on. */
interface PooledDatabase {
  pool: Pool;
  closed: AbortSignal;
}

/** How long a dropped pool may take to close politely before its sockets are cut. */
const CLOSE_GRACE_MS = 500;

async function poolFor(ctx: CheckContext, url: string, timeoutMs: number): Promise<PooledDatabase> {
  const pg = await loadPg();
  return ctx.resources.get(
    poolKey(url),
    (): PooledDatabase & { close: AbortController; sockets: Set<Socket> } => {
      // Every socket of the pool is known, so closing never waits on a connect to a server that
      // does not answer (pool.end() would wait for it).
      const sockets = new Set<Socket>();
      const stream = () => {
        const socket = new Socket();
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      };
      const pool = new pg.Pool({ ...poolOptions(url, timeoutMs), stream });
      // An idle connection whose server went away errors here; the pool forgets it. Without a
      // listener the error would crash the process.
      pool.on('error', () => {});
      const close = new AbortController();
      return { pool, closed: close.signal, close, sockets };
    },
    async (db) => {
      // pg-pool's end() leaves runs waiting for a connection waiting forever: release them first.
      db.close.abort();
      const ended = db.pool.end().catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
        timer.unref();
      });
      await Promise.race([ended, grace]);
      clearTimeout(timer);
      for (const socket of db.sockets) socket.destroy();
      await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, 100).unref())]);
    },
  );
}

const ABORTED = Symbol('aborted');
const POOL_CLOSED = Symbol('pool closed');

function abortPromise(signal: AbortSignal, reason: symbol): { promise: Promise<never>; off(): void } {
  let off = () => {};
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(reason);
    const onAbort = () => reject(reason);
    signal.addEventListener('abort', onAbort, { once: true });
    off = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => {});
  return { promise, off };
}

async function acquire(db: PooledDatabase, signal: AbortSignal): Promise<PoolClient> {
  const pending = db.pool.connect();
  const aborted = abortPromise(signal, ABORTED);
  const closed = abortPromise(db.closed, POOL_CLOSED);
  try {
    return await Promise.race([pending, aborted.promise, closed.promise]);
  } catch (error) {
    // Given up on: whatever connection arrives later goes straight back, destroyed.
    if (error === ABORTED || error === POOL_CLOSED) pending.then((c) => c.release(true), () => {});
    throw error;
  } finally {
    aborted.off();
    closed.off();
  }
}

/**
 * Ask the server to stop the running statement: the protocol's CancelRequest (what
 * pg_cancel_backend does), sent on a separate short-lived socket. Best effort: the connection is
 * destroyed anyway, and statement_timeout ends the statement on the server regardless.
 */
function requestCancel(client: PoolClient): void {
  const { processID, secretKey, host, port } = client as unknown as {
    processID?: number;
    secretKey?: number;
    host?: string;
    port?: number;
  };
  if (typeof processID !== 'number' || typeof secretKey !== 'number' || !port) return;
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(80877102, 4); // the CancelRequest code
  message.writeInt32BE(processID, 8);
  message.writeInt32BE(secretKey, 12);
  const socket = host?.startsWith('/')
    ? connect({ path: `${host}/.s.PGSQL.${port}` })
    : connect({ host: host || 'localhost', port });
  socket.on('error', () => {});
  socket.setTimeout(2000, () => socket.destroy());
  socket.on('connect', () => socket.end(message));
}

/**
 * Run `work` in a read-only transaction on `url`. Never throws: failures come back classified.
 * The statement_timeout is what is left of the budget (a little less, so the server's own
 * timeout fires first and reports cleanly).
 */
export async function withReadOnlySession<T>(
  ctx: CheckContext,
  url: string,
  budget: Budget,
  work: (session: Session) => Promise<T>,
): Promise<PgRun<T>> {
  const target = describeTarget(url);
  if (!isPostgresUrl(url)) {
    return {
      ok: false,
      target,
      failure: { kind: 'connect', connection: false, message: 'url must be a postgres:// or postgresql:// connection URL' },
    };
  }
  for (let attempt = 1; ; attempt++) {
    const result = await attemptSession(ctx, url, target, budget, work);
    // A pooled connection can die while idle (server restarted) and the pool may not know yet,
    // or another run may have just reset the pool: try afresh (bounded) before calling the
    // database unreachable.
    if (!result.ok && result.staleRetry && attempt < 4 && !budget.signal.aborted) continue;
    return result.ok ? { ok: true, value: result.value, connectMs: result.connectMs, target } : { ok: false, failure: result.failure, target };
  }
}

/** The budget ran out (a timeout), or the engine cancelled the run (shutting down). */
function stopped(phase: 'connect' | 'query', target: PgTarget, budget: Budget): PgFailure {
  if (budget.expired()) return timeoutFailure(phase, target, budget.timeoutMs);
  return { kind: phase === 'connect' ? 'connect-timeout' : 'query-timeout', connection: false, message: 'cancelled before it finished (imos is stopping)' };
}

type Attempt<T> =
  | { ok: true; value: T; connectMs: number }
  | { ok: false; failure: PgFailure; staleRetry: boolean };

async function attemptSession<T>(
  ctx: CheckContext,
  url: string,
  target: PgTarget,
  budget: Budget,
  work: (session: Session) => Promise<T>,
): Promise<Attempt<T>> {
  const key = poolKey(url);
  const fail = (failure: PgFailure, staleRetry = false): Attempt<T> => {
    // Established connections died (server restarted, network cut): the pool's other idle ones
    // likely did too, so start over with a fresh pool. A failed connect leaves nothing behind in
    // the pool (the next run connects afresh), so the pool stays and runs queued in it go on.
    if (failure.kind === 'connection-lost') void ctx.resources.drop(key);
    return { ok: false, failure, staleRetry };
  };
  if (budget.signal.aborted) return fail(stopped('connect', target, budget));

  const pooled = await poolFor(ctx, url, budget.timeoutMs);
  const connectStarted = performance.now();
  let client: PoolClient;
  try {
    client = await acquire(pooled, budget.signal);
  } catch (error) {
    if (error === ABORTED) return fail(stopped('connect', target, budget));
    const failure: PgFailure =
      error === POOL_CLOSED
        ? { kind: 'connect', connection: true, message: `cannot connect to ${target.where}: the connection pool was reset while waiting` }
        : classifyPgError(error, { phase: 'connect', target, timeoutMs: budget.timeoutMs });
    // Another run dropped this pool meanwhile (its connection failed): try a fresh pool.
    if (error === POOL_CLOSED || /after calling end on the pool/i.test(String((error as Error)?.message))) {
      return { ok: false, failure, staleRetry: true };
    }
    return fail(failure);
  }
  const connectMs = performance.now() - connectStarted;

  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.release(destroy ? true : undefined);
  };
  const onAbort = () => {
    requestCancel(client);
    release(true);
  };
  budget.signal.addEventListener('abort', onAbort, { once: true });
  // An error on a checked-out client (server gone mid-query) must not crash the process.
  const onClientError = () => {};
  client.on('error', onClientError);

  const run = async (config: QueryConfig & { rowMode?: 'array' }) => {
    if (budget.signal.aborted) throw ABORTED;
    return client.query({ ...config, queryMode: 'extended' } as QueryConfig);
  };
  const session: Session = {
    async query<R>(text: string, values: unknown[] = []) {
      return (await run({ text, values })).rows as R[];
    },
    async queryArrays(text: string, values: unknown[] = []) {
      return (await run({ text, values, rowMode: 'array' } as QueryConfig)).rows as unknown as unknown[][];
    },
  };

  let stage: 'begin' | 'work' = 'begin';
  try {
    await run({ text: 'begin read only' });
    const statementMs = Math.max(1, Math.floor(budget.remainingMs() - Math.min(100, budget.timeoutMs * 0.1)));
    await run({ text: "select set_config('statement_timeout', $1, true)", values: [String(statementMs)] });
    // Prisma's ?schema=: unqualified names (its _prisma_migrations, an outbox) are looked up there.
    const schema = urlSchema(url);
    if (schema !== null) await run({ text: "select set_config('search_path', $1, true)", values: [`${quoteIdent(schema)}, public`] });
    stage = 'work';
    const value = await work(session);
    await run({ text: 'rollback' });
    release(false);
    return { ok: true, value, connectMs };
  } catch (error) {
    if (budget.signal.aborted || error === ABORTED) {
      release(true);
      return fail(stopped('query', target, budget));
    }
    const failure = classifyPgError(error, { phase: 'query', target, timeoutMs: budget.timeoutMs });
    if (failure.connection) {
      release(true);
      return fail(failure, stage === 'begin' && failure.kind === 'connection-lost');
    }
    // A failed query on a live connection: end the transaction and give the connection back.
    try {
      await client.query('rollback');
      release(false);
    } catch {
      release(true);
    }
    return fail(failure);
  } finally {
    budget.signal.removeEventListener('abort', onAbort);
    client.off('error', onClientError);
  }
}
