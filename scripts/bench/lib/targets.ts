// Loopback targets for the engine bench, served from a child process so that their CPU is not
// counted as the engine's: `hosts` HTTP servers on 127.0.0.1 (one port each, i.e. one target host
// each), answering /ok/* at once with a small JSON body, /slow/* after `slowMs`, /down/* at once with a 503,
// and never /hang/*.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

export const SLOW_MS = 1_500;

/** In the child: start the servers, print their ports as one JSON line, serve until killed. */
export async function serveTargets(hosts: number): Promise<void> {
  const ports: number[] = [];
  for (let h = 0; h < hosts; h++) {
    const server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/hang/')) return; // never answered: the check's timeout ends it
      if (url.startsWith('/down/')) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"down"}');
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","items":[1,2,3]}');
      if (url.startsWith('/slow/')) setTimeout(answer, SLOW_MS);
      else answer();
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push((server.address() as AddressInfo).port);
  }
  process.stdout.write(`${JSON.stringify({ ports })}\n`);
  // Ends with the parent: its stdin closes.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

/** In the parent: start the child (this same bench file, run with `--targets N`). */
export async function startTargets(hosts: number): Promise<{ ports: number[]; child: ChildProcess; stop(): void }> {
  const child = spawn(process.execPath, [process.argv[1]!, '--targets', String(hosts)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the target servers exited (${code})`)));
  });
  const { ports } = JSON.parse(line) as { ports: number[] };
  return { ports, child, stop: () => void child.kill('SIGKILL') };
}
