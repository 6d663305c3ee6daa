// The dead man's switch: `heartbeat: <url>` is pinged after every round the poller completes, as
// Healthchecks-style services expect, so that something outside imos notices when imos stops.
// A ping that fails is logged (the URL shown as scheme and host only: its path is often the
// secret) and never holds up or stops the poller.
import type { CheckConfig } from '../config/types.js';
import { redactWholeUrl } from '../text/redact.js';
import type { Clock } from '../time/clock.js';

/** At most one ping this often (rounds can follow each other within milliseconds). */
export const HEARTBEAT_MIN_GAP_MS = 10_000;
/** A ping that takes longer than this has failed. */
export const HEARTBEAT_TIMEOUT_MS = 10_000;
/** A failure that keeps happening is logged again this often. */
const FAILURE_LOG_EVERY_MS = 60_000;

export interface HeartbeatOptions {
  url: string;
  checks: readonly Pick<CheckConfig, 'everyMs'>[];
  clock: Clock;
  log: (line: string) => void;
  timeoutMs?: number;
}

export class Heartbeat {
  private readonly gapMs: number;
  private lastPingAt = Number.NEGATIVE_INFINITY;
  private inFlight = false;
  private failure: { text: string; loggedAt: number } | null = null;

  constructor(private readonly options: HeartbeatOptions) {
    const shortest = Math.min(HEARTBEAT_MIN_GAP_MS, ...options.checks.map((c) => c.everyMs));
    this.gapMs = Number.isFinite(shortest) ? shortest : HEARTBEAT_MIN_GAP_MS;
  }

  /** A round was completed: ping unless one went out within the last gap (or is still going). */
  beat(): void {
    const now = this.options.clock.now();
    if (this.inFlight || now - this.lastPingAt < this.gapMs) return;
    this.lastPingAt = now;
    this.inFlight = true;
    void this.ping().finally(() => {
      this.inFlight = false;
    });
  }

  private async ping(): Promise<void> {
    let problem: string | null = null;
    try {
      const res = await fetch(this.options.url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(this.options.timeoutMs ?? HEARTBEAT_TIMEOUT_MS) });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) problem = `HTTP ${res.status}`;
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      problem = e.name === 'TimeoutError' ? 'no answer' : (e.cause?.code ?? e.name);
    }
    const now = this.options.clock.now();
    if (problem === null) {
      if (this.failure) this.options.log(`heartbeat: ${redactWholeUrl(this.options.url)} answers again`);
      this.failure = null;
      return;
    }
    const text = `heartbeat: ping to ${redactWholeUrl(this.options.url)} failed (${problem}); polling goes on`;
    if (this.failure?.text === text && now - this.failure.loggedAt < FAILURE_LOG_EVERY_MS) return;
    this.failure = { text, loggedAt: now };
    this.options.log(text);
  }
}
