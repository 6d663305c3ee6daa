// `imos serve` stops promptly on SIGTERM even while a dashboard page holds its event stream open
// and a client keeps an idle keep-alive connection: both are closed, the process exits 0. How fast
// is the bench's figure (scripts/bench/dashboard.ts, "imos serve stops after SIGTERM"); here only a
// bound that catches a hang (a connection that keeps the server from closing).
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';
import { cleanUpProcesses, startImos, waitFor } from '../helpers/imos-process.js';
import { openEventStream } from '../helpers/sse.js';

const dirs: string[] = [];
afterEach(async () => {
  await cleanUpProcesses();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CONFIG = `project: Serve stop
people: { luna: { name: Luna } }
systems: { web: { name: Web, leader: luna } }
store: ./imos.json
`;

describe('imos serve and SIGTERM', () => {
  it('exits 0 on SIGTERM with an open dashboard event stream and an idle keep-alive connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imos-serve-stop-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'imos.yaml'), CONFIG);
    const run = startImos(['serve', '--port', '0'], { cwd: dir });
    const url = await waitFor('imos serve to listen', run, HANG_MS, () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1]);

    // A page open on the dashboard: its event stream has had its first figures.
    const page = await openEventStream(`${url}/dashboard/events`);
    expect(page.status).toBe(200);
    await page.next((m) => m.event === 'dashboard', HANG_MS);

    // A client that keeps its connection for the next request: answered, the socket left open and idle.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const status = await new Promise<number>((resolve, reject) => {
      http.get(`${url}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    const idle = () => Object.values(agent.freeSockets).flat().length;
    await waitUntil('the keep-alive socket to be idle', () => idle() > 0, HANG_MS, 20);
    expect(idle()).toBe(1);

    try {
      run.child.kill('SIGTERM');
      const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), HANG_MS))]);
      expect(exit, `imos serve still running ${HANG_MS} ms after SIGTERM\n${run.stderr()}`).toEqual({ code: 0, signal: null });
      expect(run.stderr()).toContain('stopping');
      // The page's stream was ended by the server, not left hanging.
      const ended = await Promise.race([page.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), HANG_MS))]);
      expect(ended).toBe(true);
    } finally {
      page.close();
      agent.destroy();
    }
  });
});
