// A steady writer of the JSON store and those that follow it, for tests that kill other writers
// around it (test/store-processes.test.ts, test/faults/store-kills.test.ts).
import { HANG_MS } from './bounds.js';
import type { WorkerProcess } from './build-worker.js';

/**
 * A steady writer and those that follow it: one waiting behind dead writers' locks may give up
 * ("stayed locked", the truth: its unfinished change must then be absent, which the checks hold);
 * a new one (its own key) then takes its place, a bounded number of times. Any other end is kept
 * in `ended`, and fails the test.
 */
export class SteadyLane {
  readonly writers: WorkerProcess[] = [];
  ended: string | null = null;
  private stopping = false;
  private supervised: Promise<void> = Promise.resolve();

  /**
   * `startWriter(id)` starts test/workers/store-writer.ts writing under `id`; `restarts`: how many
   * writers may give up on the lane before that counts as a lock that keeps writers out.
   */
  constructor(
    readonly name: string,
    private readonly startWriter: (id: string) => Promise<WorkerProcess>,
    private readonly restarts: number,
  ) {}

  async start(): Promise<void> {
    await this.next();
    await this.writers[0]!.waitForLine((l) => l.startsWith('wrote'));
    this.supervised = this.supervise();
  }

  /** Changes its writers reported done. */
  wrote(): number {
    return this.writers.reduce((n, w) => n + w.lines.filter((l) => l.startsWith('wrote ')).length, 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.writers) w.kill('SIGKILL');
    await this.supervised;
    await Promise.all(this.writers.map((w) => w.exited));
  }

  private async next(): Promise<void> {
    const n = this.writers.length;
    this.writers.push(await this.startWriter(n === 0 ? this.name : `${this.name}-${n}`));
  }

  private async supervise(): Promise<void> {
    for (;;) {
      const current = this.writers.at(-1)!;
      const { code, signal } = await current.exited;
      if (this.stopping) return;
      // A failed write prints its line and exits 3; the line may come after the exit is seen.
      const failed = code === 3 ? await current.waitForLine((l) => l.startsWith('failed '), HANG_MS).catch(() => null) : null;
      if (!failed?.includes('stayed locked') || this.writers.length > this.restarts) {
        this.ended = `${this.name}: ${failed ?? `ended (code ${code}, signal ${signal})`}; stderr: ${current.stderr().slice(-500)}`;
        return;
      }
      await this.next();
      if (this.stopping) {
        this.writers.at(-1)!.kill('SIGKILL'); // started as the lane was stopped
        return;
      }
    }
  }
}
