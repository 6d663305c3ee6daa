// The console under load, in-process: 200 systems, 2,000 checks, 10,000 alerts. Measures the time
// from a key press to the finished frame (the issue: under 16 ms at p95), on the production
// render path (Ink with incremental rendering, a 160×48 terminal), against a floor measured in the
// same run (one write of a frame-sized string to the same sink).
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { Box, render, Text, useInput } from 'ink';
import { useState } from 'react';
import { ConsoleApp } from '../../views/App.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { memoryActions } from '../../views/testing/memory-actions.js';
import { alert, checkState, hotelConfig } from '../../views/testing/fixtures.js';
import { colorTheme } from '../../views/theme.js';
import type { CheckConfig, ImosConfig } from '../../src/config/types.js';
import type { Alert, CheckState, Severity } from '../../src/model.js';
import { figures, report, verdict } from './measure.js';
import { keepHeapNearLiveData } from '../../src/heap.js';

// As `imos console` sets V8's heap for itself (src/heap.ts): the frames are measured as users get them.
keepHeapNearLiveData();

const SYSTEMS = 200;
const CHECKS_PER_SYSTEM = 10;
const ALERTS = 10_000;
const NOW = Date.parse('2025-01-29T01:00:00Z');

function bigConfig(): ImosConfig {
  const base = hotelConfig();
  const systems: ImosConfig['systems'] = {};
  const checks: CheckConfig[] = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const id = `system-${String(s).padStart(3, '0')}`;
    systems[id] = { id, name: `System ${s}`, leader: ['suno', 'luna', 'sun', 'manager'][s % 4], depends_on: [] };
    for (let c = 0; c < CHECKS_PER_SYSTEM; c++) checks.push({ ...base.checks[0]!, id: `${id}-check-${c}`, system: id, kind: 'http' });
  }
  return { ...base, systems, checks };
}

function bigStore(config: ImosConfig): MemoryStore {
  const core = { alerts: [] as Alert[], nextAlertNumber: 1 };
  const severities: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM'];
  for (let i = 0; i < ALERTS; i++) {
    const system = `system-${String(i % SYSTEMS).padStart(3, '0')}`;
    core.alerts.push(
      alert(`A${i + 1}`, severities[i % 3]!, system, `check ${i % CHECKS_PER_SYSTEM} failing: status 503 after ${i} ms`, (i % 5000) * 60_000, {
        state: i % 7 === 0 ? 'acknowledged' : 'open',
        acknowledgedBy: i % 7 === 0 ? 'luna' : null,
        nextEscalationAt: i % 5 === 0 ? new Date(NOW + i * 1000).toISOString() : null,
      }),
    );
  }
  core.nextAlertNumber = ALERTS + 1;
  const results = { checks: {} as Record<string, CheckState> };
  config.checks.forEach((c, i) => {
    results.checks[c.id] = checkState(c.id, c.system, c.kind, i % 11 === 0 ? 'HIGH' : 'ok', i % 300, `latency ${i % 300} ms`);
  });
  const audit = Array.from({ length: 200 }, (_, i) => ({ at: new Date(NOW - i * 60_000).toISOString(), actor: 'suno', action: 'ack', target: `A${i + 1}` }));
  return new MemoryStore({ core, results }, audit);
}

class Sink extends EventEmitter {
  isTTY = true;
  columns = 160;
  rows = 48;
  bytes = 0;
  write = (chunk: string): boolean => {
    this.bytes += chunk.length;
    return true;
  };
}

class Keys extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

// React's development build is several times slower than what ships (the bundle defines
// NODE_ENV=production): measure the production build, as users run it.
if (process.env.NODE_ENV !== 'production') {
  // Drawn in colour (256 colours, as most terminals take), whatever the bench's own output is: colour
  // costs more per key press than plain text, and people see it.
  const run = spawnSync(process.execPath, [process.argv[1]!], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: process.env.FORCE_COLOR ?? '2' } });
  process.exit(run.status ?? 1);
}

const pause = () => new Promise((r) => setTimeout(r, 40)); // past Ink's 30 fps throttle

interface Session {
  stdin: Keys;
  renderTimes: number[];
  press(key: string): Promise<number | null>;
  unmount(): void;
}

function mount(element: React.ReactElement, columns: number, rows: number): Session {
  const stdout = new Sink();
  stdout.columns = columns;
  stdout.rows = rows;
  const stdin = new Keys();
  const renderTimes: number[] = [];
  let rendered: (() => void) | null = null;
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
    incrementalRendering: true,
    onRender: (m) => {
      renderTimes.push(m.renderTime);
      const done = rendered;
      rendered = null;
      done?.();
    },
  });
  return {
    stdin,
    renderTimes,
    unmount: () => instance.unmount(),
    async press(key) {
      await pause();
      const start = performance.now();
      const done = new Promise<number>((resolve) => {
        rendered = () => resolve(performance.now() - start);
      });
      stdin.press(key);
      return Promise.race([done, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    },
  };
}

async function sample(session: Session, keys: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const k of keys) {
    const t = await session.press(k);
    if (t !== null) out.push(t);
  }
  return out;
}

/** The floor: Ink itself repainting a full screen of text where a key press inverts one line. */
function InkFloor({ columns, rows }: { columns: number; rows: number }) {
  const [selected, setSelected] = useState(0);
  useInput(() => setSelected((s) => (s + 1) % (rows - 1)));
  const line = 'x'.repeat(columns);
  return (
    <Box flexDirection="column" height={rows - 1}>
      {Array.from({ length: rows - 1 }, (_, i) => (
        <Text key={i} inverse={i === selected}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

const config = bigConfig();
let ok = true;
for (const [columns, rows] of [
  [160, 48],
  [80, 24],
] as const) {
  const floorSession = mount(<InkFloor columns={columns} rows={rows} />, columns, rows);
  await pause();
  const floor = figures((await sample(floorSession, Array.from({ length: 60 }, () => 'j'))) as number[]);
  floorSession.unmount();
  report(`${columns}×${rows} floor: Ink repaints a full screen`, floor);

  const store = bigStore(config);
  const t0 = performance.now();
  const session = mount(
    <ConsoleApp config={config} store={store} actions={memoryActions(store, config, 'suno', () => NOW)} actor="suno" now={() => NOW} tick={false} theme={colorTheme} />,
    columns,
    rows,
  );
  for (let i = 0; i < 300 && store.reads < 3; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  console.log(`${columns}×${rows} first frame with ${SYSTEMS} systems, ${config.checks.length} checks, ${ALERTS} alerts: ${(performance.now() - t0).toFixed(0)} ms in-process (store read included)`);
  const before = session.renderTimes.length;
  const alertsMoves = await sample(session, ['4', ...Array.from({ length: 120 }, (_, i) => (i % 3 === 2 ? 'k' : 'j'))]);
  const paneMoves = await sample(session, Array.from({ length: 40 }, () => '\t'));
  const systemMoves = await sample(session, ['2', ...Array.from({ length: 60 }, () => 'j')]);
  const filterKeys = await sample(session, ['4', '/', 's', 'y', 's', 't', 'e', 'm', '-', '0', '4', '\u007f', '\u007f', '\r', '\u001b']);
  session.unmount();
  const all = [...alertsMoves, ...paneMoves, ...systemMoves, ...filterKeys];
  report(`${columns}×${rows} key → frame: alert list j/k`, figures(alertsMoves), floor);
  report(`${columns}×${rows} key → frame: Tab between panes`, figures(paneMoves), floor);
  report(`${columns}×${rows} key → frame: systems grid j`, figures(systemMoves), floor);
  report(`${columns}×${rows} key → frame: filter typing`, figures(filterKeys), floor);
  const overall = figures(all);
  report(`${columns}×${rows} key → frame: all`, overall, floor);
  report(`${columns}×${rows}   of which Ink layout + output`, figures(session.renderTimes.slice(before)));
  ok = verdict(`${columns}×${rows} key press redraw p95`, overall.p95, 16, ' ms') && ok;
}
process.exitCode = ok ? 0 : 1;
// Ink keeps listeners on the fake streams: leave explicitly.
setTimeout(() => process.exit(process.exitCode), 50);
