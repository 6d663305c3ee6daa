// A loopback webhook receiver that checks imos' signature on the raw body and keeps every
// delivery; scriptable replies (status + headers) for retry tests.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  script(...replies: Array<{ status: number; headers?: Record<string, string> }>): void;
  close(): Promise<void>;
}

export function validSignature(raw: string, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
  const given = Buffer.from(header.slice(7));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  let replies: Array<{ status: number; headers?: Record<string, string> }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signatureValid = validSignature(raw, req.headers['x-imos-signature'] as string | undefined, secret);
      const reply = replies.shift() ?? { status: signatureValid ? 204 : 401 };
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        /* kept as raw */
      }
      deliveries.push({ headers: req.headers, raw, body, signatureValid, status: reply.status });
      res.writeHead(reply.status, reply.headers);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    script(...r) {
      replies = replies.concat(r);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
