// `imos gates [--json] [--phase NAME]`: each quality gate judged from the stored check results,
// with its evidence; exits 0 only when every gate passes (a CI step before moving a phase on).
import type { Command } from 'commander';
import { CliError, EXIT, withContext, type CliContext } from '../context.js';
import { age } from '../format.js';
import { evaluateGates, latestRuns, overallStatus } from '../../gates/evaluate.js';
import { formatGates, gatesJson } from '../../gates/format.js';
import { knownPhases } from '../../plan/phase-gates.js';
import { phaseNameMatches } from '../../config/phases.js';

export function register(program: Command): void {
  program
    .command('gates')
    .description('the quality gates with their evidence; exit 0 only when all pass')
    .option('--json', 'print JSON')
    .option('--phase <name>', 'only the gates of this phase ("Phase 2" names "Phase 2: system connections")')
    .action(withContext(async (ctx, opts: { json?: boolean; phase?: string }) => showGates(ctx, Boolean(opts.json || ctx.json), opts.phase)));
}

export async function showGates(ctx: CliContext, json: boolean, phaseArg: string | undefined): Promise<number> {
  let phase: string | null = null;
  if (phaseArg !== undefined) {
    const phases = await knownPhases(ctx.config);
    const found = phases.find((p) => phaseNameMatches(p, phaseArg));
    if (!found) throw new CliError(`unknown phase "${phaseArg}" (phases: ${phases.join(', ') || 'none: add phases: to imos.yaml or a Phases table to the matrix'})`, EXIT.usage);
    phase = found;
  }
  const results = await ctx.store.read('results');
  const gates = evaluateGates(ctx.config.gates, latestRuns(results), phase === null ? {} : { phase });
  const now = ctx.clock.now();
  ctx.out(json ? JSON.stringify(gatesJson(gates, phase), null, 2) : formatGates(gates, phase, (at) => age(at, now)));
  return overallStatus(gates) === 'pass' ? EXIT.ok : EXIT.high;
}
