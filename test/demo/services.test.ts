// The demo's four loopback services answer health, sync and outbox from the world's state.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SYSTEMS, newServiceState, startServices, type DemoServices } from '../../src/demo/services.js';

let services: DemoServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
});

const get = async (url: string) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('demo services', () => {
  it('serve /health, /sync and /outbox on 127.0.0.1, and go down when the script says so', async () => {
    let now = 1_000_000;
    const state = newServiceState(now);
    services = await startServices(state, () => now);
    expect(Object.keys(services.urls).sort()).toEqual([...DEMO_SYSTEMS].sort());
    for (const url of Object.values(services.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pms = services.urls['hotel-pms'];

    expect(await get(`${pms}/health`)).toEqual({ status: 200, body: { status: 'ok', system: 'hotel-pms' } });
    now += 7_500;
    state.pendingEvents.push(now - 3000, now - 1000);
    expect((await get(`${pms}/sync`)).body).toMatchObject({ source: 'pms', lagSeconds: 7.5 });
    expect((await get(`${services.urls['hotel-saas']}/outbox`)).body).toMatchObject({ backlog: 2, oldestSeconds: 3 });
    expect((await get(`${pms}/nope`)).status).toBe(404);

    state.down.add('hotel-pms');
    expect(await get(`${pms}/health`)).toMatchObject({ status: 503, body: { status: 'down' } });
    expect((await get(`${services.urls['hotel-member']}/health`)).status).toBe(200);

    await services.close();
    services = null;
    await expect(fetch(`${pms}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
