// `imos matrix [--json]`: the integration matrix's figures, ready and blocked tasks, critical paths
// and the timeline. `imos matrix set ITEM STATUS`: change one status cell, with an audit entry.
import type { Command } from 'commander';
import { checkActor, CliError, EXIT, withContext, type CliContext } from '../context.js';
import { table } from '../format.js';
import { MatrixConflictError, MatrixError } from '../../plan/matrix-file.js';
import { loadPlanOverview, type PlanOverview } from '../../plan/overview.js';
import { setMatrixItemStatus } from '../../plan/matrix-set.js';
import { PhaseGatesError } from '../../plan/phase-gates.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { parseStatus, STATUS_HELP } from '../../plan/vocabulary.js';
import type { TaskView } from '../../plan/figures.js';

export function register(program: Command): void {
  const matrix = program
    .command('matrix')
    .description('the integration matrix: completion, ready and blocked tasks, critical path, timeline')
    .option('--json', 'print JSON')
    .action(withContext(async (ctx, opts: { json?: boolean }) => showMatrix(ctx, Boolean(opts.json || ctx.json))));
  matrix
    .command('set <item> <status>')
    .description(`set the status of a table, system or task in the matrix file (${STATUS_HELP})`)
    .option('--force', 'complete a phase even though its quality gates do not pass (needs --note)')
    .option('--note <text>', 'why the gates are overridden (kept in the audit log)')
    .action(
      withContext(async (ctx, item: string, status: string, opts: { force?: boolean; note?: string }) =>
        setMatrixStatus(ctx, item, status, opts.force ? { note: opts.note ?? '' } : undefined),
      ),
    );
}

async function overview(ctx: CliContext): Promise<PlanOverview> {
  const core = await ctx.store.read('core');
  try {
    return await loadPlanOverview(ctx.config, core.snapshots, ctx.clock.now());
  } catch (err) {
    if (err instanceof MatrixError) throw new CliError(err.message, 1);
    throw err;
  }
}

/** The JSON shape of `imos matrix --json`. */
export function matrixJson(o: PlanOverview): Record<string, unknown> {
  return {
    file: o.file,
    tables: o.figures.tables,
    systems: o.figures.systems,
    tasks: o.figures.tasks,
    ready: o.figures.ready,
    inProgress: o.figures.inProgress,
    blocked: o.figures.blocked,
    criticalPaths: o.figures.criticalPaths,
    phases: o.timeline.phases,
    project: o.timeline.project,
  };
}

const taskRow = (t: TaskView): string[] => [
  t.id,
  t.priority,
  t.system,
  t.assignee,
  t.estimateDays === null ? '–' : `${t.estimateDays}d`,
  t.due ?? '–',
  t.waitingOn.length ? `${t.title} (waits on ${t.waitingOn.join(', ')})` : t.title,
];

export function formatMatrix(o: PlanOverview): string {
  const f = o.figures;
  const lines = [
    `Integration matrix ${o.file}`,
    `tables:  ${f.tables.label}`,
    `systems: ${f.systems.label}`,
    `tasks:   ${f.tasks.label} — ${f.ready.length} ready, ${f.inProgress.length} in progress, ${f.blocked.length} blocked`,
  ];
  const header = ['ID', 'PRIORITY', 'SYSTEM', 'ASSIGNEE', 'EST', 'DUE', 'TASK'];
  for (const [title, list] of [
    ['Ready (by priority, then what waits on them):', f.ready],
    ['In progress:', f.inProgress],
    ['Blocked:', f.blocked],
  ] as const) {
    if (list.length) lines.push('', title, table(header, list.map(taskRow)));
  }
  const paths = f.criticalPaths.filter((p) => p.steps.length > 0);
  if (paths.length) {
    lines.push('', 'Critical path (remaining estimates):');
    for (const p of paths) {
      const unest = p.unestimated.length ? ` (no estimate: ${p.unestimated.join(', ')})` : '';
      lines.push(`  ${p.phase ?? 'whole project'}: ${p.steps.join(' → ')} = ${p.days}d${unest}`);
    }
  }
  const t = o.timeline;
  if (t.phases.length) {
    lines.push('', 'Timeline:');
    lines.push(
      table(
        ['PHASE', 'DATES', 'DONE', 'STATUS', 'WHY'],
        [
          ...t.phases.map((p) => [p.name, `${p.start} → ${p.end}`, `${p.done}/${p.total}`, p.status, p.reason]),
          ...(t.project
            ? [[t.project.name, `${t.project.start} → ${t.project.end}`, `${t.project.done}/${t.project.total}`, t.project.status, t.project.reason]]
            : []),
        ],
      ),
    );
    if (t.project) {
      const fc = t.project.forecast;
      lines.push(fc.finish ? `forecast finish: ${fc.finish}${fc.late ? ' (after the planned end)' : ''} — ${fc.basis}` : `forecast: ${fc.basis}`);
    }
  }
  return lines.join('\n');
}

export async function showMatrix(ctx: CliContext, json: boolean): Promise<number> {
  const o = await overview(ctx);
  ctx.out(json ? JSON.stringify(matrixJson(o), null, 2) : formatMatrix(o));
  return EXIT.ok;
}

export async function setMatrixStatus(ctx: CliContext, item: string, statusWord: string, force?: { note: string }): Promise<number> {
  checkActor(ctx);
  const status = parseStatus(statusWord);
  if (!status) throw new CliError(`unknown status "${statusWord}": expected ${STATUS_HELP}`, EXIT.usage);
  if (force && sanitizeLine(force.note, 500) === '') throw new CliError('--force needs --note "why" (the override is kept in the audit log)', EXIT.usage);
  try {
    const change = await setMatrixItemStatus(ctx.store, ctx.config, item, status, ctx.actor, ctx.clock.now(), force && { note: sanitizeLine(force.note, 500) });
    const file = change.file;
    if (!change.changed) {
      ctx.out(`${change.entity.id} is already ${status}; ${file} unchanged`);
      return EXIT.ok;
    }
    ctx.out(`${change.entity.id}: ${change.from} → ${change.to} (${change.before} → ${change.after}) in ${file}`);
    for (const b of change.overridden) ctx.out(`${b.phase} moved to done over its failing gates (${b.gates.map((g) => g.id).join(', ')}); the override is in the audit log`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof PhaseGatesError) {
      const lines = [err.message, ...err.blocks.map((b) => `see \`imos gates --phase "${b.phase}"\`; to override: imos matrix set ${err.item} done --force --note "why"`)];
      throw new CliError(lines.join('\n'), 1);
    }
    if (err instanceof MatrixConflictError) throw new CliError(err.message, 1);
    if (err instanceof MatrixError) throw new CliError(err.message, 1);
    throw err;
  }
}
