// The store's query connections: a small pool, every failure turned into a StoreError that names
// the store (password redacted) and says why in words, and the connection health kept up to date.
// A statement that could not reach the server is retried once where that is harmless (reads); a
// commit is never sent twice (it could have been stored before the connection dropped).
import type pg from 'pg';
import { StoreError } from '../types.js';
import type { ConnectionHealth } from './health.js';
import { describeFailure, isConnectionFailure, storeFailure, type StoreTarget } from './target.js';

export interface PoolOptions {
  /** Connections per process: commits of one section run one after another, so a few suffice. */
  max: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  /** Longest wait for an answer to a statement (a server that stopped answering). */
  queryTimeoutMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = { max: 3, idleTimeoutMs: 10_000, connectTimeoutMs: 5000, queryTimeoutMs: 15_000 };

export interface QueryOptions {
  /** Safe to send again after the connection dropped (reads). */
  retry?: boolean;
  /** Fail at once when the server is known to be unreachable (actions), rather than wait. */
  failFast?: boolean;
  /** Run on the spare connection when it is idle (commits: see listener.ts), else on the pool. */
  spare?: boolean;
}

/** A connection of the process's own that takes a statement when it is idle (the LISTEN one). */
export interface SpareConnection {
  tryQuery<R extends pg.QueryResultRow>(config: pg.QueryConfig, unreachable: (error: unknown) => boolean): Promise<pg.QueryResult<R>> | null;
}

export class PgConnections {
  readonly pool: pg.Pool;
  private spare: SpareConnection | null = null;

  constructor(
    pgModule: typeof pg,
    readonly target: StoreTarget,
    readonly health: ConnectionHealth,
    readonly options: PoolOptions = DEFAULT_POOL_OPTIONS,
  ) {
    this.pool = new pgModule.Pool({
      ...clientConfig(target, options, 'imos'),
      max: options.max,
      idleTimeoutMillis: options.idleTimeoutMs,
      // A short-lived command that forgot nothing still exits once its connections are idle.
      allowExitOnIdle: true,
    });
    // An idle connection the server closed (restart, pg_terminate_backend): the pool drops it and
    // the next statement opens a new one; the listener reports the outage, if it is one.
    this.pool.on('error', () => {});
  }

  useSpare(spare: SpareConnection): void {
    this.spare = spare;
  }

  /** Why the store cannot be reached now, when it is known not to be (for failing fast). */
  unreachableProblem(): string | null {
    if (!this.health.unreachable) return null;
    const { problem, since } = this.health.snapshot();
    return `${problem ?? 'the server cannot be reached'} (disconnected since ${since ?? 'now'})`;
  }

  /** Runs one statement; `what` says what was being done, for the error ("not stored", …). */
  async query<R extends pg.QueryResultRow>(what: string, config: pg.QueryConfig, options: QueryOptions = {}): Promise<R[]> {
    if (options.failFast) {
      const problem = this.unreachableProblem();
      if (problem) throw new StoreError(`${what}: the store ${this.target.location} cannot be reached: ${problem}`, this.target.location);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const onSpare = options.spare ? this.spare?.tryQuery<R>(config, (error) => isConnectionFailure(error, this.target)) : null;
        const result = await (onSpare ?? this.pool.query<R>(config));
        this.health.querySucceeded();
        return result.rows;
      } catch (error) {
        if (isConnectionFailure(error, this.target)) {
          if (options.retry && attempt === 1) continue;
          this.health.queryFailed(describeFailure(error, this.target, this.options.connectTimeoutMs));
        }
        throw error;
      }
    }
  }

  /** The same, with failures as StoreErrors naming the store. */
  async run<R extends pg.QueryResultRow>(what: string, config: pg.QueryConfig, options: QueryOptions = {}): Promise<R[]> {
    try {
      return await this.query<R>(what, config, options);
    } catch (error) {
      throw storeFailure(what, error, this.target);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

export function clientConfig(target: StoreTarget, options: PoolOptions, applicationName: string): pg.ClientConfig {
  return {
    connectionString: target.url,
    // A URL's own application_name wins (the driver lets the URL override these).
    application_name: applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    keepAlive: true,
  };
}
