// The poller lease in PostgreSQL: one row with a holder, an expiry and an epoch, decided by
// imos_lease_acquire on the database's clock (hosts' clocks may disagree; the database's is the one
// every host shares).
//
// Why a row with an expiry rather than a session advisory lock: an advisory lock lives exactly as
// long as one connection, so the lease would be lost on every dropped connection (a server restart,
// a network blip, pg_terminate_backend) even when the holder is fine, and a holder whose host lost
// the network would not know that the server has already freed its lock until its own connection
// times out; meanwhile nothing would stop its queued writes. A row with an expiry survives a
// reconnect within the ttl, is visible to every host (`imos status` names the holder), and carries
// an epoch that commits check in the same transaction (fencing): a holder that lost the lease, on
// whatever connection, cannot store anything any more.
import type { LeaseHolder } from '../../model.js';
import type { LeaseAcquireOptions, LeaseOutcome, LeaseStore } from '../types.js';
import type { PgConnections } from './connection.js';
import { qualified } from './target.js';

/** `database`: expiries on the database's clock. `caller`: on the acquire's nowMs (tests that drive a clock). */
export type LeaseClock = 'database' | 'caller';

export class PgLease implements LeaseStore {
  /** The holder last seen (what `read('lease')` shows while the database cannot be reached). */
  lastSeen: { holder: LeaseHolder | null; epoch: number } | null = null;

  constructor(
    private readonly db: PgConnections,
    private readonly clock: LeaseClock,
  ) {}

  private async call(me: Omit<LeaseHolder, 'since' | 'renewedAt'>, ttlMs: number, nowMs: number, deadToken: string | null): Promise<LeaseOutcome> {
    const request = { ...me, ttlMs, deadToken, at: this.clock === 'caller' ? nowMs : null };
    const [row] = await this.db.run<{ r: LeaseOutcome }>(
      'cannot take or renew the poller lease',
      { text: `SELECT ${qualified(this.db.target, 'imos_lease_acquire')}($1) AS r`, values: [JSON.stringify(request)] },
      { failFast: true },
    );
    const outcome = { holder: row!.r.holder, ours: row!.r.ours, epoch: Number(row!.r.epoch) };
    this.remember(outcome.holder, outcome.epoch);
    return outcome;
  }

  async acquire(me: Omit<LeaseHolder, 'since' | 'renewedAt'>, ttlMs: number, options: LeaseAcquireOptions): Promise<LeaseOutcome> {
    const outcome = await this.call(me, ttlMs, options.nowMs, null);
    const holder = outcome.holder;
    // A holder on this host whose process is gone is replaced at once, not after its ttl.
    if (!outcome.ours && holder && holder.host === me.host && holder.pid !== me.pid && !options.isAlive(holder.pid)) {
      return this.call(me, ttlMs, options.nowMs, holder.token);
    }
    return outcome;
  }

  async release(token: string): Promise<void> {
    await this.db.run('cannot release the poller lease', {
      text: `SELECT ${qualified(this.db.target, 'imos_lease_release')}($1)`,
      values: [token],
    });
    if (this.lastSeen?.holder?.token === token) this.remember(null, this.lastSeen.epoch);
  }

  async read(): Promise<LeaseHolder | null> {
    return (await this.load()).holder;
  }

  /** The holder and epoch as stored now. */
  async load(): Promise<{ holder: LeaseHolder | null; epoch: number }> {
    const [row] = await this.db.run<{ holder: LeaseHolder | null; epoch: string }>(
      'cannot read the poller lease',
      { text: `SELECT ${qualified(this.db.target, 'imos_lease_json')}(l) AS holder, l.epoch FROM ${qualified(this.db.target, 'imos_lease')} l WHERE l.id = 1` },
      { retry: true, failFast: true },
    );
    this.remember(row?.holder ?? null, Number(row?.epoch ?? 0));
    return this.lastSeen!;
  }

  private remember(holder: LeaseHolder | null, epoch: number): void {
    this.lastSeen = { holder, epoch };
  }
}
