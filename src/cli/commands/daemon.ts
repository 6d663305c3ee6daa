// `imos daemon`: the headless poller. Holds (or waits for) the lease; stops cleanly on SIGTERM.
// A daemon that cannot poll (the lease or the store cannot be written) says so every minute and,
// after `poller.grace`, exits 69 so that its supervisor restarts it and its own alerting sees it.
import type { Command } from 'commander';
import { Engine } from '../../engine/engine.js';
import { buildPipeline } from '../../engine/pipeline.js';
import { formatDuration } from '../../text/durations.js';
import { EXIT, withContext } from '../context.js';

export const DEFAULT_GRACE_MS = 120_000;
import { processLog } from '../log.js';
import { startIsOver } from '../../started.js';
import { firstStopSignal } from '../stop-signals.js';

export function register(program: Command): void {
  program
    .command('daemon')
    .description('run the headless poller: checks, escalation, notifications (stops on SIGTERM)')
    .action(
      withContext(async (ctx) => {
        const log = processLog(ctx.config);
        const engine = new Engine({
          config: ctx.config,
          store: ctx.store,
          role: 'daemon',
          pipeline: await buildPipeline(ctx.config, ctx.store, { log }),
          log,
        });
        await engine.start();
        startIsOver(); // the code compiled so far goes into the code cache (src/cli/entry.ts)
        await engine.lease.tick(); // the first attempt, so the line below tells the truth
        log(`imos daemon started for "${ctx.config.project}" (${ctx.config.checks.length} checks, store ${ctx.store.location})`);
        if (!engine.isHolder()) {
          log(engine.lease.holder() ? 'another process holds the poller lease; waiting to take over' : 'not holding the poller lease; waiting to take over');
        }
        const graceMs = ctx.config.poller?.graceMs ?? DEFAULT_GRACE_MS;
        // This interval also holds the process open (the engine's timers are unref'd) until a signal.
        let watch: ReturnType<typeof setInterval> | undefined;
        const outcome = await new Promise<number>((resolve) => {
          void firstStopSignal((signal) => log(`${signal} again: already stopping`)).then(() => resolve(EXIT.ok));
          watch = setInterval(() => {
            const problem = engine.problem();
            if (!problem || Date.now() - problem.sinceMs < graceMs) return;
            log(`giving up: unable to poll for ${formatDuration(Date.now() - problem.sinceMs, 'spaced')} (poller.grace ${formatDuration(graceMs, 'exact')}): ${problem.reason}; exiting ${EXIT.unavailable} for the supervisor to restart imos`);
            resolve(EXIT.unavailable);
          }, 1000);
        });
        clearInterval(watch);
        log('stopping');
        await engine.stop();
        return outcome;
      }),
    );
}
