// `imos daemon`: the headless poller. Holds (or waits for) the lease; stops cleanly on SIGTERM.
import type { Command } from 'commander';
import { Engine } from '../../engine/engine.js';
import { buildPipeline } from '../../engine/pipeline.js';
import { withContext } from '../context.js';
import { processLog } from '../log.js';

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
        await engine.lease.tick(); // the first attempt, so the line below tells the truth
        log(`imos daemon started for "${ctx.config.project}" (${ctx.config.checks.length} checks, store ${ctx.store.location})`);
        if (!engine.isHolder()) {
          log(engine.lease.holder() ? 'another process holds the poller lease; waiting to take over' : 'not holding the poller lease; waiting to take over');
        }
        // The engine's timers do not hold the process open (they are unref'd): this does, until a signal.
        const keepAlive = setInterval(() => {}, 60_000);
        await new Promise<void>((resolve) => {
          for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => resolve());
        });
        clearInterval(keepAlive);
        log('stopping');
        await engine.stop();
        return 0;
      }),
    );
}
