import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../src/conditions/index.js';
import { closedPort, json, startHttpTarget, type HttpTarget } from '../test/helpers/http-target.js';
import { MAX_BODY_BYTES, httpCheck, type HttpCheckConfig } from './http.js';
import { checkContext } from './shared/testing.js';
import { HANG_MS } from '../test/helpers/bounds.js';

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const config = (raw: Record<string, unknown>): HttpCheckConfig => httpCheck.schema.parse(raw);

/** Does every condition hold over the metrics, in the real condition language? */
function holds(conditions: string[], metrics: Record<string, unknown>): boolean[] {
  return conditions.map((c) => evaluateCondition(parseCondition(c, httpCheck.metrics), metrics).holds);
}

describe('http check', () => {
  it('reports status, latency, size and the parsed JSON body of a healthy endpoint', async () => {
    target = await startHttpTarget({
      '/health': (_req, res) => json(200, { status: 'ok', items: [1, 2, 3], db: { up: true } }, res),
    });
    const outcome = await httpCheck.run(config({ url: `${target.url}/health` }), checkContext());
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics.status).toBe(200);
    expect(outcome.metrics.body).toEqual({ status: 'ok', items: [1, 2, 3], db: { up: true } });
    expect(outcome.metrics.size).toBe(JSON.stringify({ status: 'ok', items: [1, 2, 3], db: { up: true } }).length);
    expect(typeof outcome.metrics.latency).toBe('number');
    expect(outcome.message).toMatch(/^200 OK in \d+ ms$/);
    expect(
      holds(["status == 200", 'latency < 2s', "body.status == 'ok'", 'body.items.length > 0', 'body.db.up == true'], outcome.metrics),
    ).toEqual([true, true, true, true, true]);
    expect(holds(["body.status == 'down'", 'body.items.length > 3'], outcome.metrics)).toEqual([false, false]);
    expect(holds(httpCheck.defaultExpect!, outcome.metrics)).toEqual([true, true]);
  });

  it('sends the method, headers and a JSON body, and keeps secret header values out of the message', async () => {
    target = await startHttpTarget({ '/orders': (_req, res) => json(401, { error: 'bad token s3cr3t-t0ken' }, res) });
    const outcome = await httpCheck.run(
      config({
        url: `${target.url}/orders`,
        headers: { Authorization: 'Bearer s3cr3t-t0ken', 'X-Trace': 'imos' },
        body: { probe: true },
      }),
      checkContext(),
    );
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe('Bearer s3cr3t-t0ken');
    expect(request.headers['x-trace']).toBe('imos');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ probe: true });
    expect(outcome.metrics.status).toBe(401);
    expect(outcome.message).toContain('401 Unauthorized');
    expect(outcome.message).toContain('bad token ***');
    expect(outcome.message).not.toContain('s3cr3t-t0ken');
  });

  it('measures a slow endpoint so a latency condition fails', async () => {
    target = await startHttpTarget({
      '/slow': async (_req, res) => {
        await new Promise((r) => setTimeout(r, 300));
        json(200, { status: 'ok' }, res);
      },
    });
    const outcome = await httpCheck.run(config({ url: `${target.url}/slow` }), checkContext());
    expect(outcome.metrics.status).toBe(200);
    expect(outcome.metrics.latency as number).toBeGreaterThanOrEqual(280);
    expect(holds(['latency < 100ms', 'latency >= 250ms'], outcome.metrics)).toEqual([false, true]);
  });

  it('stops waiting for a hanging endpoint at its timeout and reports it unreachable', async () => {
    target = await startHttpTarget({ '/hang': () => undefined });
    const started = Date.now();
    const outcome = await httpCheck.run(config({ url: `${target.url}/hang` }), checkContext({ timeoutMs: 500 }));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(HANG_MS); // the endpoint never answers
    expect(outcome.status).toBeUndefined(); // a finding, not "could not run"
    expect(outcome.metrics.status).toBe(0);
    expect(outcome.alertType).toBe('SYSTEM_CONNECTION_FAILURE');
    expect(outcome.message).toContain('timed out after 500 ms');
    expect(holds(['status == 200'], outcome.metrics)).toEqual([false]);
  });

  it('returns promptly as an error when the engine aborts it', async () => {
    target = await startHttpTarget({ '/hang': () => undefined });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('imos is shutting down')), 100);
    const started = Date.now();
    const outcome = await httpCheck.run(config({ url: `${target.url}/hang` }), checkContext({ timeoutMs: 60_000, signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(HANG_MS); // not the 60 s timeout
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/^aborted after/);
  });

  it('reports a 500 with the reason from the body, failing the default expectation', async () => {
    target = await startHttpTarget({ '/fail': (_req, res) => json(500, { error: { message: 'database down' } }, res) });
    const outcome = await httpCheck.run(config({ url: `${target.url}/fail` }), checkContext());
    expect(outcome.metrics.status).toBe(500);
    expect(outcome.message).toMatch(/^500 Internal Server Error in \d+ ms: database down$/);
    expect(holds(httpCheck.defaultExpect!, outcome.metrics)).toEqual([true, false]);
  });

  it('leaves the body metric out and says so when a JSON response does not parse', async () => {
    target = await startHttpTarget({
      '/broken': (_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"status": "ok",'),
    });
    const outcome = await httpCheck.run(config({ url: `${target.url}/broken` }), checkContext());
    expect(outcome.metrics.status).toBe(200);
    expect(outcome.metrics).not.toHaveProperty('body');
    expect(outcome.message).toContain('invalid JSON body');
    expect(holds(["body.status == 'ok'"], outcome.metrics)).toEqual([false]);
  });

  it('reads at most 1 MiB of a huge body', async () => {
    let sent = 0;
    target = await startHttpTarget({
      '/huge': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let closed = false;
        res.on('close', () => (closed = true));
        // At most 64 MiB; the check must hang up long before.
        for (let i = 0; i < 1024 && !closed; i++) {
          sent += chunk.length;
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
        res.end();
      },
    });
    const outcome = await httpCheck.run(config({ url: `${target.url}/huge` }), checkContext());
    expect(outcome.metrics.status).toBe(200);
    expect(outcome.metrics.size).toBe(MAX_BODY_BYTES);
    expect(outcome.metrics).not.toHaveProperty('body');
    expect(outcome.message).toContain('body larger than 1 MiB');
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it('reports a refused connection as status 0 with the connection-failure alert type', async () => {
    const port = await closedPort();
    const outcome = await httpCheck.run(config({ url: `http://127.0.0.1:${port}/health` }), checkContext());
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics.status).toBe(0);
    expect(outcome.alertType).toBe('SYSTEM_CONNECTION_FAILURE');
    expect(outcome.message).toBe(`connection refused by 127.0.0.1:${port} (GET http://127.0.0.1:${port}/health)`);
    expect(holds(['status == 200'], outcome.metrics)).toEqual([false]);
    expect(holds(httpCheck.defaultExpect!, outcome.metrics)).toContain(false);
  });

  it('explains a port that fetch refuses to use', async () => {
    const outcome = await httpCheck.run(config({ url: 'http://127.0.0.1:6000/' }), checkContext());
    expect(outcome.metrics.status).toBe(0);
    expect(outcome.message).toContain("port 6000 is on fetch's list of blocked ports");
  });

  it('strips terminal control sequences from the body and the message', async () => {
    target = await startHttpTarget({
      '/evil': (_req, res) => json(503, { status: 'ok\u001b]0;owned\u0007', message: 'down\u001b[2J\u001b[H now' }, res),
    });
    const outcome = await httpCheck.run(config({ url: `${target.url}/evil` }), checkContext());
    expect((outcome.metrics.body as { status: string }).status).toBe('ok');
    expect(outcome.message).toContain('down now');
    expect(outcome.message).not.toMatch(/\u001b/);
  });

  it('answers a text body as text and redacts a password in the URL', async () => {
    target = await startHttpTarget({ '/text': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('pong') });
    const url = new URL(`${target.url}/text`);
    url.username = 'probe';
    url.password = 'hunter22';
    const outcome = await httpCheck.run(config({ url: url.toString() }), checkContext());
    expect(outcome.metrics.body).toBe('pong');
    expect(holds(["body == 'pong'", 'body.length == 4'], outcome.metrics)).toEqual([true, true]);
    expect(target.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('probe:hunter22').toString('base64')}`);
    expect(JSON.stringify(outcome.detail)).not.toContain('hunter22');
    expect(outcome.message).not.toContain('hunter22');
  });

  it('follows redirects unless told not to', async () => {
    target = await startHttpTarget({
      '/old': (_req, res) => res.writeHead(302, { location: '/new' }).end(),
      '/new': (_req, res) => json(200, { moved: true }, res),
    });
    const followed = await httpCheck.run(config({ url: `${target.url}/old` }), checkContext());
    expect(followed.metrics.status).toBe(200);
    expect(followed.metrics.body).toEqual({ moved: true });
    const manual = await httpCheck.run(config({ url: `${target.url}/old`, follow_redirects: false }), checkContext());
    expect(manual.metrics.status).toBe(302);
    expect(target.requests.map((r) => r.path)).toEqual(['/old', '/new', '/old']);
  });

  it('decodes a body in its declared charset (Shift_JIS, EUC-JP), UTF-8 otherwise', async () => {
    target = await startHttpTarget({
      '/sjis': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=Shift_JIS' });
        res.end(Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x20, 0x8f, 0xe1, 0x8a, 0x51])); // あい 障害
      },
      '/euc': (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json; charset="EUC-JP"' });
        res.end(Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xbe, 0xe3, 0xb3, 0xb2]), Buffer.from('"}')]));
      },
      '/unknown': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=x-nonsense' });
        res.end('plain ok');
      },
    });
    const sjis = await httpCheck.run(config({ url: `${target.url}/sjis` }), checkContext());
    expect(sjis.metrics.body).toBe('あい 障害');
    expect(holds(["body == 'あい 障害'"], sjis.metrics)).toEqual([true]);
    const euc = await httpCheck.run(config({ url: `${target.url}/euc` }), checkContext());
    expect(euc.metrics.body).toEqual({ message: '障害' });
    expect(euc.message).toMatch(/^503 Service Unavailable in \d+ ms: 障害$/);
    const unknown = await httpCheck.run(config({ url: `${target.url}/unknown` }), checkContext());
    expect(unknown.metrics.body).toBe('plain ok');
  });

  it('HEAD, 204 and 304 have no body: no "invalid JSON" note whatever the content-type', async () => {
    const noBody = (status: number) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end();
    };
    target = await startHttpTarget({
      '/head': (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '15' });
        res.end(req.method === 'HEAD' ? undefined : '{"status":"ok"}');
      },
      '/204': noBody(204),
      '/304': noBody(304),
      '/empty': noBody(200),
    });
    const head = await httpCheck.run(config({ url: `${target.url}/head`, method: 'HEAD' }), checkContext());
    expect(head.message).toMatch(/^200 OK in \d+ ms$/);
    expect(head.metrics.status).toBe(200);
    for (const status of [204, 304]) {
      const outcome = await httpCheck.run(config({ url: `${target.url}/${status}`, follow_redirects: false }), checkContext());
      expect(outcome.metrics.status).toBe(status);
      expect(outcome.message).not.toContain('invalid JSON');
    }
    const empty = await httpCheck.run(config({ url: `${target.url}/empty` }), checkContext());
    expect(empty.message).toMatch(/empty body$/);
    expect(empty.message).not.toContain('invalid JSON');
  });

  it('validates its own keys', () => {
    expect(httpCheck.schema.safeParse({ url: 'ftp://example.com' }).success).toBe(false);
    expect(httpCheck.schema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(httpCheck.schema.safeParse({ url: 'http://127.0.0.1/x', method: 'GET /' }).success).toBe(false);
    const parsed = config({ url: 'http://127.0.0.1/x', method: 'head', headers: { 'X-N': 5 }, every: '15s' });
    expect(parsed.method).toBe('HEAD');
    expect(parsed.headers).toEqual({ 'X-N': '5' });
    expect((parsed as Record<string, unknown>).every).toBe('15s');
  });

  it('refuses a body on a GET without sending anything', async () => {
    target = await startHttpTarget({ '/x': (_req, res) => json(200, {}, res) });
    const outcome = await httpCheck.run(config({ url: `${target.url}/x`, method: 'GET', body: 'x' }), checkContext());
    expect(outcome.status).toBe('error');
    expect(target.requests).toHaveLength(0);
  });
});
