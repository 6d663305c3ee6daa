// Small measuring helpers for the benchmarks: run a thing N times, report percentiles.
import { performance } from 'node:perf_hooks';

export interface Figures {
  n: number;
  p50: number;
  p95: number;
  mean: number;
}

export async function measure(n: number, fn: (i: number) => unknown | Promise<unknown>): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return figures(samples);
}

export function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

/** One line: name, p50 / p95, and the ratio to a floor's p50. */
export function report(name: string, f: Figures, floor?: Figures): void {
  const ratio = floor ? `  (${(f.p50 / floor.p50).toFixed(2)}× the floor)` : '';
  console.log(`${name.padEnd(44)} p50 ${ms(f.p50).padStart(10)}  p95 ${ms(f.p95).padStart(10)}  n=${f.n}${ratio}`);
}

/** Prints a verdict against a floor ratio; returns whether it held. */
export function verdict(what: string, value: number, limit: number, unit = '×'): boolean {
  const ok = value <= limit;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}: ${value.toFixed(2)}${unit} (limit ${limit}${unit})`);
  return ok;
}
