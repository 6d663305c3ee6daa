// The example's four systems as small HTTP services on loopback (a free port each):
//   GET /health  200 {"status":"ok"} — or 503 {"status":"down"} while the script has it down
//   GET /sync    the reservation sync as this service sees it: {source, lastSyncedAt, lagSeconds}
//   GET /outbox  the order-events outbox: {backlog, oldestSeconds, produced, processed}
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const DEMO_SYSTEMS = ['hotel-member', 'hotel-pms', 'hotel-saas', 'hotel-common'] as const;
export type DemoSystem = (typeof DEMO_SYSTEMS)[number];

/** The environment variable the example config reads each system's URL from. */
export const URL_VARIABLES: Record<DemoSystem, string> = {
  'hotel-member': 'MEMBER_API_URL',
  'hotel-pms': 'PMS_API_URL',
  'hotel-saas': 'SAAS_API_URL',
  'hotel-common': 'COMMON_API_URL',
};

/** What the services report; the world updates it as the script runs. */
export interface ServiceState {
  down: Set<DemoSystem>;
  lastSyncedAt: number;
  /** Unprocessed order events, oldest first (creation times). */
  pendingEvents: number[];
  produced: number;
  processed: number;
}

export interface DemoServices {
  urls: Record<DemoSystem, string>;
  close(): Promise<void>;
}

export function newServiceState(now: number): ServiceState {
  return { down: new Set(), lastSyncedAt: now, pendingEvents: [], produced: 0, processed: 0 };
}

export async function startServices(state: ServiceState, now: () => number = Date.now): Promise<DemoServices> {
  const servers: Array<{ server: http.Server; sockets: Set<Socket> }> = [];
  const urls = {} as Record<DemoSystem, string>;
  try {
    for (const system of DEMO_SYSTEMS) {
      const sockets = new Set<Socket>();
      const server = http.createServer((req, res) => answer(system, state, now(), req, res));
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      servers.push({ server, sockets });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      urls[system] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
  return { urls, close: () => closeAll(servers) };
}

function answer(system: DemoSystem, state: ServiceState, now: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') return send(405, { error: 'GET only' });
  if (path === '/health') {
    return state.down.has(system) ? send(503, { status: 'down', system, reason: 'maintenance: database connection lost' }) : send(200, { status: 'ok', system });
  }
  if (state.down.has(system)) return send(503, { status: 'down', system });
  if (path === '/sync') {
    return send(200, {
      source: 'pms',
      lastSyncedAt: new Date(state.lastSyncedAt).toISOString(),
      lagSeconds: Math.max(0, Math.round((now - state.lastSyncedAt) / 100) / 10),
    });
  }
  if (path === '/outbox') {
    const oldest = state.pendingEvents[0];
    return send(200, {
      backlog: state.pendingEvents.length,
      oldestSeconds: oldest === undefined ? 0 : Math.round((now - oldest) / 1000),
      produced: state.produced,
      processed: state.processed,
    });
  }
  return send(404, { error: `no route ${path}`, routes: ['/health', '/sync', '/outbox'] });
}

async function closeAll(servers: Array<{ server: http.Server; sockets: Set<Socket> }>): Promise<void> {
  await Promise.all(
    servers.map(
      ({ server, sockets }) =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          if (!server.listening) return resolve();
          server.close(() => resolve());
        }),
    ),
  );
}
