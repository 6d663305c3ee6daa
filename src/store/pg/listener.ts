// The LISTEN connection: one per process, its own connection (a pooled one would be handed to
// queries and miss notifications). When it drops (server restart, pg_terminate_backend, a network
// that stops answering), it reconnects with backoff and says so: the store catches up on what it
// missed, because notifications sent while nobody listened are gone. A periodic ping finds a
// connection that died without a word (a host that lost the network keeps its socket open).
//
// While idle it also takes the store's commits (tryQuery): the server then hands this process's
// own notification to the connection that committed, with the reply, instead of waking a second
// server process to send it over a second socket (README, "Performance"). A statement in flight
// stands in for the ping (the driver's query timeout bounds it, and one that fails to reach the
// server drops the connection); so does an answer received within the ping interval.
import type pg from 'pg';

export interface ListenerEvents {
  notification(payload: string): void;
  /** The connection dropped (it was up). */
  down(error: unknown): void;
  /** Listening (again); `again`: after a drop, so whatever happened meanwhile was not heard. */
  up(again: boolean): void;
  /** A reconnect attempt failed: the server cannot be reached now. */
  attemptFailed(error: unknown): void;
}

export interface ListenerOptions {
  /** First reconnect delay; doubles up to maxMs. */
  reconnectMs: number;
  reconnectMaxMs: number;
  /** How often the connection is pinged, and how long an answer may take. */
  pingMs: number;
  pingTimeoutMs: number;
}

export const DEFAULT_LISTENER_OPTIONS: ListenerOptions = { reconnectMs: 100, reconnectMaxMs: 2000, pingMs: 5000, pingTimeoutMs: 5000 };

export class ChangeListener {
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private delay: number;
  private closed = false;
  /** A statement (a commit, or the ping) is in flight on the connection. */
  private busy = false;
  /** The server answered a statement since the last ping was due. */
  private answered = false;

  constructor(
    private readonly newClient: () => pg.Client,
    private readonly channel: string,
    private readonly events: ListenerEvents,
    private readonly options: ListenerOptions = DEFAULT_LISTENER_OPTIONS,
  ) {
    this.delay = options.reconnectMs;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /** The first connection: its failure is the caller's (opening the store fails). */
  async start(): Promise<void> {
    this.client = await this.connect();
    this.pingTimer = setInterval(() => void this.ping(), this.options.pingMs);
    this.pingTimer.unref();
  }

  private async connect(): Promise<pg.Client> {
    const client = this.newClient();
    // Until it is ours, an error only fails the connect below.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      await endClient(client);
      throw error;
    }
    client.on('notification', (message) => {
      if (this.client === client && message.channel === this.channel) this.events.notification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('Connection terminated unexpectedly')));
    return client;
  }

  /**
   * Runs `config` on the listening connection when it is up and idle; null when it is not (the
   * caller uses another connection). `unreachable(error)`: whether a failure means the server was
   * not reached, which drops the connection at once (it reconnects and the store catches up).
   */
  tryQuery<R extends pg.QueryResultRow>(config: pg.QueryConfig, unreachable: (error: unknown) => boolean): Promise<pg.QueryResult<R>> | null {
    const client = this.client;
    if (!client || this.busy || this.closed) return null;
    this.busy = true;
    return client.query<R>(config).then(
      (result) => {
        this.busy = false;
        this.answered = true;
        return result;
      },
      (error: unknown) => {
        this.busy = false;
        if (unreachable(error)) this.lost(client, error);
        else this.answered = true; // the server answered, with an error
        throw error;
      },
    );
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    void endClient(client);
    this.events.down(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    // Jitter: many consoles that lost the same server do not all knock at the same instant.
    const wait = Math.round(this.delay * (0.8 + Math.random() * 0.4));
    this.delay = Math.min(this.delay * 2, this.options.reconnectMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, wait);
  }

  private async reconnect(): Promise<void> {
    if (this.closed || this.client) return;
    let client: pg.Client;
    try {
      client = await this.connect();
    } catch (error) {
      if (this.closed) return;
      this.events.attemptFailed(error);
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await endClient(client);
      return;
    }
    this.client = client;
    this.delay = this.options.reconnectMs;
    this.events.up(true);
  }

  private async ping(): Promise<void> {
    const client = this.client;
    // Busy: the statement in flight finds out (it fails within the query timeout). Answered
    // since the last ping was due: the connection was alive then.
    const answered = this.answered;
    this.answered = false;
    if (!client || this.busy || answered) return;
    this.busy = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the server in ${this.options.pingTimeoutMs} ms`)), this.options.pingTimeoutMs);
      });
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await endClient(client);
  }
}

/**
 * Ends a connection; one whose server no longer answers (a lost network) would wait for the
 * goodbye forever, so after `graceMs` its socket is destroyed.
 */
export async function endClient(client: pg.Client, graceMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const destroy = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      resolve();
    }, graceMs);
  });
  try {
    await Promise.race([client.end().catch(() => {}), destroy]);
  } finally {
    clearTimeout(timer);
  }
}
