// Worker: a poller holder's notification dispatcher in its own process, at a fixed time, so a
// test can kill it with a send in flight. Prints {"event":"flushed",…} after each flush.
// Args: <store path> <config JSON file> <now ms> <claim ttl ms>
import fs from 'node:fs/promises';
import { openStore } from '../../src/store/open.js';
import { createNotifier } from '../../src/notify/index.js';
import type { ImosConfig } from '../../src/config/types.js';

const [storePath, configPath, nowText, ttlText] = process.argv.slice(2);
const config = JSON.parse(await fs.readFile(configPath!, 'utf8')) as ImosConfig;
const store = await openStore(storePath!);
const nowMs = Number(nowText);
const clock = { now: () => nowMs, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
const notifier = createNotifier(store, config, clock, { claimTtlMs: Number(ttlText), owner: `worker-${process.pid}`, senders: { slack: { timeoutMs: 60_000 } } });
const say = (value: object) => process.stdout.write(JSON.stringify({ pid: process.pid, ...value }) + '\n');
say({ event: 'started' });
const report = await notifier.flush();
say({ event: 'flushed', sent: report.sent, retried: report.retried, failed: report.failed });
setInterval(() => {}, 1000);
