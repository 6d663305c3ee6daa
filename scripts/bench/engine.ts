// The engine at scale: 1,000 checks every 10 s and 10,000 checks every 10 min against loopback
// targets (9 in 10 http, 1 in 10 a program; 1 % hanging until their timeout, 1 % slow), run by the
// real Engine (scheduler, runner, recording) for a bounded window. Measures the scheduling lag
// (how late each scheduled run starts), throughput, CPU per check against a bare request loop
// making the same requests in the same run, and listener-leak warnings.
//
// The engine's figures are taken with a store that costs next to nothing (lib/ledger-store.ts), so
// that they belong to the scheduler and the runner; the real JSON store is run separately and the
// time spent in its calls is reported on its own line.
//
// `node engine.mjs [scenario…]` runs some scenarios only (names below).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfigText } from '../../src/config/load.js';
import type { ImosConfig } from '../../src/config/types.js';
import { Engine } from '../../src/engine/engine.js';
import { DEFAULT_START_RATE } from '../../src/engine/scheduler.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { LedgerStore, timedStore } from './lib/ledger-store.js';
import { serveTargets, startTargets } from './lib/targets.js';
import { figure, figures, report, target } from './measure.js';
import { keepHeapNearLiveData } from '../../src/heap.js';

const HOSTS = 20;
const TIMEOUT_MS = 5_000;

interface Scenario {
  name: string;
  checks: number;
  everyMs: number;
  /** How long the engine runs. */
  windowMs: number;
  store: 'ledger' | 'json';
  /** The lag target (p99), ms; none for a run that only reports. */
  lagLimitMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1k-10s', checks: 1_000, everyMs: 10_000, windowMs: 30_000, store: 'ledger', lagLimitMs: 100 },
  { name: '10k-10m', checks: 10_000, everyMs: 600_000, windowMs: 45_000, store: 'ledger', lagLimitMs: 1_000 },
  { name: '1k-10s-json', checks: 1_000, everyMs: 10_000, windowMs: 20_000, store: 'json' },
];

/** What a check probes, in the bench's mix. */
type Probe = { kind: 'http'; url: string } | { kind: 'command'; run: string[] };

function probeFor(i: number, ports: number[]): Probe {
  const port = ports[i % ports.length]!;
  const http = (route: string): Probe => ({ kind: 'http', url: `http://127.0.0.1:${port}/${route}/${i}` });
  switch (i % 100) {
    case 0:
      return i % 200 === 0 ? { kind: 'command', run: ['sleep', '600'] } : http('hang');
    case 1:
      return i % 200 === 1 ? { kind: 'command', run: ['sleep', String(1.5)] } : http('slow');
    default:
      return i % 10 === 5 ? { kind: 'command', run: ['true'] } : http('ok');
  }
}

function configText(count: number, everyMs: number, ports: number[]): string {
  const lines = [
    'project: Engine bench',
    'systems:',
    ...Array.from({ length: 50 }, (_, s) => `  s${s}: { name: System ${s} }`),
    `defaults: { every: ${everyMs / 1000}s, timeout: ${TIMEOUT_MS / 1000}s }`,
    'checks:',
  ];
  for (let i = 0; i < count; i++) {
    const probe = probeFor(i, ports);
    const common = `id: c${i}, system: s${i % 50}`;
    if (probe.kind === 'http') lines.push(`  - { ${common}, kind: http, url: "${probe.url}", expect: ["status == 200", "body.status == 'ok'"] }`);
    else lines.push(`  - { ${common}, kind: command, run: ${JSON.stringify(probe.run)} }`);
  }
  return `${lines.join('\n')}\n`;
}

interface EngineRun {
  lags: number[];
  runs: number;
  cpuMs: number;
  seconds: number;
  storeCalls: Map<string, { n: number; ms: number }>;
  leaseLost: number;
  rssMb: number;
}

async function runEngine(scenario: Scenario, config: ImosConfig): Promise<EngineRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-engine-'));
  const base: Store = scenario.store === 'ledger' ? new LedgerStore() : await openStore(path.join(dir, 'imos.json'));
  const { store, calls } = timedStore(base);
  const lags: number[] = [];
  let leaseLost = 0;
  const engine = new Engine({
    config,
    store,
    role: 'bench',
    env: process.env,
    onRunStart: (_check, lateMs) => lags.push(lateMs),
    log: (line) => {
      if (line.startsWith('lost the poller lease')) leaseLost++;
    },
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  await engine.start();
  await new Promise((resolve) => setTimeout(resolve, scenario.windowMs));
  await engine.stop();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const { history } = await base.read('history');
  const runs = Object.values(history).reduce((sum, points) => sum + points.length, 0);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await base.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { lags, runs, cpuMs: (used.user + used.system) / 1000, seconds, storeCalls: calls, leaseLost, rssMb };
}

/**
 * The floor: `count` of the same requests the checks make (in order, wrapping), by plain fetch and
 * spawn, started at the pace the engine starts runs (`perSecond`), each on its own.
 */
async function bareLoop(count: number, checks: number, ports: number[], perSecond: number): Promise<{ cpuMs: number; seconds: number }> {
  const one = async (probe: Probe) => {
    if (probe.kind === 'http') {
      try {
        const response = await fetch(probe.url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        JSON.parse(await response.text());
      } catch {
        // a hanging target: aborted at the timeout, like the check
      }
      return;
    }
    await new Promise<void>((resolve) => {
      const child = spawn(probe.run[0]!, probe.run.slice(1), { stdio: 'ignore', detached: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('error', () => resolve());
    });
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const all: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const at = (i * 1000) / perSecond;
    const wait = at - (performance.now() - started);
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    all.push(one(probeFor(i % checks, ports)));
  }
  await Promise.all(all);
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  // As `imos daemon` sets V8's heap for itself (src/heap.ts): CPU and memory as users get them.
  keepHeapNearLiveData();
  const wanted = process.argv.slice(2);
  const scenarios = SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name));
  const warnings: string[] = [];
  process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
  const targets = await startTargets(HOSTS);
  try {
    for (const scenario of scenarios) {
      console.log(`\n-- ${scenario.checks.toLocaleString('en')} checks every ${scenario.everyMs / 1000} s, ${scenario.store} store, ${scenario.windowMs / 1000} s`);
      const config = loadConfigText(configText(scenario.checks, scenario.everyMs, targets.ports), '/tmp/imos-bench/imos.yaml', { env: process.env });
      // The floor first: the same requests the engine makes, at its pace, by a bare loop.
      const pace = Math.min(scenario.checks / (scenario.everyMs / 1000), DEFAULT_START_RATE);
      const sample = Math.round(pace * 10);
      await bareLoop(200, scenario.checks, targets.ports, pace); // warm-up: fetch and spawn compiled, connections open
      const bare = await bareLoop(sample, scenario.checks, targets.ports, pace);
      const run = await runEngine(scenario, config);
      // And once more after: the machine is shared, so the lower of the two is the floor (the stricter).
      const bareAfter = await bareLoop(sample, scenario.checks, targets.ports, pace);
      if (bareAfter.cpuMs < bare.cpuMs) Object.assign(bare, bareAfter);
      const lag = figures(run.lags);
      const label = `${scenario.checks / 1000}k checks / ${scenario.everyMs >= 60_000 ? `${scenario.everyMs / 60_000} min` : `${scenario.everyMs / 1000} s`}${scenario.store === 'json' ? ' (JSON store)' : ''}`;
      report(`${label}: scheduling lag`, lag);
      figure({ name: `${label}: checks run per second`, unit: '/s', value: run.runs / run.seconds, n: run.runs });
      const storeMs = [...run.storeCalls.values()].reduce((sum, c) => sum + c.ms, 0);
      const storeN = [...run.storeCalls.values()].reduce((sum, c) => sum + c.n, 0);
      figure({
        name: `${label}: time in store calls`,
        unit: '% of wall',
        value: (100 * storeMs) / (run.seconds * 1000),
        n: storeN,
        note: [...run.storeCalls].map(([k, c]) => `${k} ${c.n}× ${(c.ms / c.n).toFixed(1)} ms`).join(', '),
      });
      figure({ name: `${label}: resident memory after`, unit: 'MB', value: run.rssMb });
      if (run.leaseLost > 0) figure({ name: `${label}: poller lease lost`, unit: 'times', value: run.leaseLost });

      const perCheck = run.cpuMs / Math.max(1, run.runs);
      const perBare = bare.cpuMs / Math.max(1, sample);
      figure({ name: `${label}: bare loop CPU per request (floor)`, unit: 'ms', value: perBare, n: sample });
      figure({
        name: `${label}: engine CPU per check`,
        unit: 'ms',
        value: perCheck,
        n: run.runs,
        floor: { name: 'bare loop', value: perBare },
        ratio: perCheck / perBare,
      });
      if (scenario.lagLimitMs !== undefined) {
        const late = run.lags.filter((l) => l > scenario.lagLimitMs!).length;
        target(
          `${label}: scheduling lag p99`,
          lag.p99,
          scenario.lagLimitMs,
          'ms',
          `${late} of ${lag.n} runs started more than ${scenario.lagLimitMs} ms late (${(run.runs / run.seconds).toFixed(0)} checks/s done, ${((100 * run.cpuMs) / (run.seconds * 1000)).toFixed(0)} % CPU)`,
        );
        target(
          `${label}: CPU per check vs the bare loop`,
          perCheck / perBare,
          1.5,
          '×',
          `${perCheck.toFixed(2)} ms per check against ${perBare.toFixed(2)} ms per bare request`,
        );
      }
    }
  } finally {
    targets.stop();
  }
  const leaks = warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'));
  target('listener-leak warnings', leaks.length, 0, '', leaks[0]);
  for (const w of warnings.filter((w) => !w.startsWith('MaxListenersExceededWarning'))) console.log(`warning: ${w}`);
}

if (process.argv[2] === '--targets') await serveTargets(Number(process.argv[3]));
else await main();
