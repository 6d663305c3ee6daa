// Start-up: a one-shot command and the console's first frame, against a bare `node -e 0`.
// (The floor: the first frame within 2.5 × the time of a bare node start.)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { figures, measure, report, verdict } from './measure.js';

const root = process.cwd();
const bin = path.join(root, 'bin/imos.js');
const example = path.join(root, 'data/example/imos.yaml');
const runs = 15;
const env = { ...process.env };
delete env.CI;

const bare = await measure(runs, () => spawnSync(process.execPath, ['-e', '0']));
report('node -e 0 (floor)', bare);
const version = await measure(runs, () => spawnSync(process.execPath, [bin, '--version']));
report('imos --version', version, bare);

// Reference: the smallest Ink program, bundled the way imos is, started the same way.
const inkHello = path.join(root, 'node_modules/.cache/imos-bench/ink-hello.mjs');
await build({
  entryPoints: [path.join(root, 'scripts/bench/fixtures/ink-hello.tsx')],
  outfile: inkHello,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  alias: { 'react-devtools-core': path.join(root, 'scripts/empty-module.mjs') },
  banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
});
const ink = await measure(runs, () => spawnSync(process.execPath, [inkHello], { env: { ...env, TERM: 'xterm-256color' } }));
report('reference: the smallest Ink program', ink, bare);

// The console's first frame: start `imos` on a pseudo-terminal (script(1)) and wait for the
// header to appear on its output.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-'));
const firstFrames: number[] = [];
const fullFrames: number[] = [];
const hasScript = spawnSync('script', ['--version']).status === 0;
if (hasScript) {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cmd = `${process.execPath} ${bin} --config ${example} --store ${dir}/imos.json --readonly`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, COLUMNS: '120', LINES: '40', TERM: 'xterm-256color' } });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve) => {
      let seen = '';
      const timer = setTimeout(() => resolve(), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        // The first frame names the project; the full console shows the overview's figures.
        if (firstFrames.length === i && seen.includes('Hotel integration')) firstFrames.push(performance.now() - started);
        if (fullFrames.length === i && seen.includes('Integration completion')) {
          fullFrames.push(performance.now() - started);
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    await exited;
  }
}
fs.rmSync(dir, { recursive: true, force: true });
let ok = verdict('imos --version vs node -e 0', version.p50 / bare.p50, 2.5);
if (firstFrames.length > 0) {
  const first = figures(firstFrames);
  report('console: first frame (pty)', first, bare);
  if (fullFrames.length > 0) report('console: first full frame, with figures (pty)', figures(fullFrames), bare);
  ok = verdict('console first frame vs node -e 0', first.p50 / bare.p50, 2.5) && ok;
} else {
  console.log('console first frame: skipped (no script(1) or no frame seen)');
}
process.exitCode = ok ? 0 : 1;
