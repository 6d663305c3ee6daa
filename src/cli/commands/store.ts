// `imos store check` / `repair` / `copy`: look at the store (its files, or its database), set a
// broken JSON file aside, move a workspace between a JSON store and PostgreSQL.
import type { Command } from 'commander';
import { loadConfigOrExit } from '../../config/load.js';
import { checkStoreTarget, isPostgresUrl, openStore } from '../../store/open.js';
import { inspectStore, repairStore, type PartHealth } from '../../store/repair.js';
import { StoreError, type Store } from '../../store/types.js';
import { redactUrl } from '../../text/redact.js';
import { CliError, EXIT, globalOptions } from '../context.js';

/** The store the command works on: --store, else the config's `store:`. */
async function storeTarget(command: Command): Promise<string> {
  const options = globalOptions(command);
  return (options.store ?? (await loadConfigOrExit(options.config)).store).trim();
}

async function open(target: string): Promise<Store> {
  try {
    return await openStore(target);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.config);
  }
}

/** A PostgreSQL store: reachable, schema current, every section and the audit log readable. */
async function inspectDatabase(target: string): Promise<PartHealth[]> {
  const shown = redactUrl(target);
  const parts: PartHealth[] = [];
  let store: Store;
  try {
    store = await openStore(target);
  } catch (error) {
    return [{ part: 'core', files: [shown], exists: true, problem: (error as Error).message }];
  }
  try {
    for (const part of ['core', 'results', 'history'] as const) {
      try {
        const records = await store.records(part);
        parts.push({ part, files: [shown], exists: true, problem: null, count: Object.values(records).reduce((n, list) => n + (list?.length ?? 0), 0) });
      } catch (error) {
        parts.push({ part, files: [shown], exists: true, problem: (error as Error).message });
      }
    }
    try {
      await store.lease.read();
      parts.push({ part: 'lease', files: [shown], exists: true, problem: null });
    } catch (error) {
      parts.push({ part: 'lease', files: [shown], exists: true, problem: (error as Error).message });
    }
    try {
      parts.push({ part: 'audit', files: [shown], exists: true, problem: null, count: (await store.readAudit()).length });
    } catch (error) {
      parts.push({ part: 'audit', files: [shown], exists: true, problem: (error as Error).message });
    }
  } finally {
    await store.close().catch(() => {});
  }
  return parts;
}

export function register(program: Command): void {
  const store = program.command('store').description('inspect, repair or copy the store');

  store
    .command('check')
    .description('report whether every part of the store can be read (exit 78 when one cannot)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const target = await storeTarget(command);
      let health: PartHealth[];
      if (isPostgresUrl(target)) health = await inspectDatabase(target);
      else {
        try {
          health = await inspectStore(checkStoreTarget(target));
        } catch (error) {
          throw new CliError((error as Error).message, EXIT.config);
        }
      }
      if (opts.json) process.stdout.write(JSON.stringify(health, null, 2) + '\n');
      else {
        for (const h of health) {
          const count = h.count === undefined ? '' : ` · ${h.count} ${h.part === 'audit' ? 'entries' : 'records'}`;
          process.stdout.write(`${h.problem ? '✖' : '✓'} ${h.part.padEnd(8)} ${h.files.join(', ')}${h.exists ? count : ' (not created yet)'}${h.problem ? `\n    ${h.problem}` : ''}\n`);
        }
      }
      process.exitCode = health.some((h) => h.problem) ? EXIT.config : EXIT.ok;
    });

  store
    .command('repair')
    .description('set unreadable JSON store files aside (kept as <file>.corrupt-<time>), keeping what is readable')
    .action(async (_opts: unknown, command: Command) => {
      const target = await storeTarget(command);
      if (isPostgresUrl(target)) {
        throw new CliError(`${redactUrl(target)} is a PostgreSQL store: the database keeps it consistent; imos store check says whether it can be read`, EXIT.usage);
      }
      let path: string;
      try {
        path = checkStoreTarget(target);
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.config);
      }
      const actions = await repairStore(path);
      if (actions.length === 0) process.stdout.write('nothing to repair: every part of the store is readable\n');
      for (const a of actions) process.stdout.write(`${a.part}: ${a.problem}\n    kept as ${a.keptAs}; ${a.outcome}\n`);
    });

  store
    .command('copy')
    .description('copy a whole workspace between stores (a JSON path or a postgres:// URL), then compare the counts')
    .option('--from <store>', 'the store to copy from (default: --store, else the config\'s store:)')
    .requiredOption('--to <store>', 'the store to copy into (must be empty unless --replace)')
    .option('--replace', 'remove the records already in the target first (its audit log is kept)')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { from?: string; to: string; replace?: boolean; json?: boolean }, command: Command) => {
      const from = opts.from?.trim() || (await storeTarget(command));
      const to = opts.to.trim();
      if (!to) throw new CliError('--to needs a store: a JSON file path or a postgres:// URL', EXIT.usage);
      if (from === to) throw new CliError('--from and --to name the same store', EXIT.usage);
      const source = await open(from);
      let target: Store | null = null;
      try {
        target = await open(to);
        const { copyStore } = await import('../../store/copy.js');
        const report = await copyStore(source, target, {
          replace: opts.replace,
          onProgress: (line) => {
            if (!opts.json) process.stderr.write(`copied ${line}\n`);
          },
        });
        if (opts.json) process.stdout.write(JSON.stringify({ from: source.location, to: target.location, ...report }, null, 2) + '\n');
        else {
          process.stdout.write(`${source.location} → ${target.location}\n`);
          for (const c of report.counts) {
            if (c.source === 0 && c.target === 0) continue;
            process.stdout.write(`${c.source === c.target ? '✓' : '✖'} ${c.what.padEnd(10)} ${String(c.source).padStart(8)} → ${String(c.target).padStart(8)}\n`);
          }
          process.stdout.write(report.verified ? 'copied; every count matches\n' : 'the counts differ: the copy is incomplete\n');
        }
        process.exitCode = report.verified ? EXIT.ok : 1;
      } catch (error) {
        if (error instanceof StoreError) throw new CliError(error.message, 1);
        throw error;
      } finally {
        await source.close().catch(() => {});
        await target?.close().catch(() => {});
      }
    });
}
