// A slow network between imos and a server: a loopback TCP proxy that holds every chunk of bytes
// for `delayMs` in each direction (in order, as a long link would), changeable while connections
// are open. Bytes in flight when a side closes still arrive before the close, as on a real network.
//
//   const proxy = await startSlowProxy(pg.port, 200);   // 200 ms each way
//   proxy.setDelay(20_000);                             // a link that has all but stopped
import net from 'node:net';

export interface SlowProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  setDelay(ms: number): void;
  /** Bytes that went through, each way. */
  readonly bytes: { up: number; down: number };
  /** Connections opened through it so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startSlowProxy(targetPort: number, delayMs = 0, targetHost = '127.0.0.1'): Promise<SlowProxy> {
  let delay = delayMs;
  let connections = 0;
  const bytes = { up: 0, down: 0 };
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  /** Forward `from` to `to`, each chunk `delay` later than it came, never overtaking the one before. */
  const pipe = (from: net.Socket, to: net.Socket, count: (n: number) => void) => {
    let last = 0;
    const later = (fn: () => void) => {
      const due = Math.max(Date.now() + delay, last);
      last = due;
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, due - Date.now());
      timers.add(timer);
    };
    from.on('data', (chunk) => {
      count(chunk.length);
      later(() => {
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () => later(() => to.end()));
    from.on('close', () => later(() => to.destroy()));
  };

  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, upstream, (n) => (bytes.up += n));
    pipe(upstream, client, (n) => (bytes.down += n));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    setDelay: (ms) => {
      delay = ms;
    },
    bytes,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
