// An `http` check run through the engine's runner against a bare request to the same loopback
// server: what the check machinery (timeouts, conditions, sanitising) adds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfigText } from '../../src/config/load.js';
import { systemClock } from '../../src/time/clock.js';
import { createResourceRegistry } from '../../src/engine/resources.js';
import { runCheck } from '../../src/engine/run-check.js';
import { measure, report } from './measure.js';

const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","items":[1,2,3]}'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
try {
  const bare = await measure(300, async () => (await fetch(url)).text());
  report('bare fetch (floor)', bare);
  const config = loadConfigText(
    `project: bench\nsystems: { s: { name: S } }\nchecks:\n  - { id: api, system: s, kind: http, url: "${url}", expect: ["status == 200", "body.items.length > 0", "latency < 500ms"] }\n`,
    '/tmp/imos.yaml',
    { env: {} },
  );
  const resources = createResourceRegistry();
  const check = await measure(300, () => runCheck(config.checks[0]!, { clock: systemClock, baseDir: '/tmp', env: {}, resources }));
  report('http check (runCheck)', check, bare);
  await resources.closeAll();
} finally {
  server.close();
}
