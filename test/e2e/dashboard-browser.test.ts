// The web dashboard in a real browser (the machine's Chromium, driven by playwright-core) against
// the real binary: `imos serve` on the world of `imos demo --headless`, and on a workspace of its
// own. What a person at the screen sees: the four systems and the alerts, an acknowledgement from the CLI arriving on
// the open page without a reload, "disconnected — retrying" while the server is down and recovery
// when it is back, text from a monitored system that stays text, and the token in front of it all.
// Screenshots go to test-output/ (the README's picture is one of them).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../src/pg-cluster/cluster.js';
import { HANG_MS } from '../helpers/bounds.js';
import { BROWSER_MISSING, browserAvailable, launchBrowser, UNDER_CI } from '../helpers/browser.js';
import { runImos } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { cleanUpProcesses, startDemo, startImos, stopImos, waitFor, type Running } from '../helpers/imos-process.js';

const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');
/** What a monitored system might send: a script, an image with a handler, a script URL. Each would set `window.pw`. */
const EVIL = '<script>window.pw=1</script><img src=x onerror=window.pw=2><a href=javascript:window.pw=3>x</a>';
const TOKEN = 'browser-test-token-3b9c0f51';
const available = browserAvailable();

if (!available && !UNDER_CI) console.warn(BROWSER_MISSING);

describe.runIf(!available && UNDER_CI)('the web dashboard in a real browser, under CI', () => {
  it('needs Chromium: a missing browser is a failure in CI, never a silent skip', () => {
    throw new Error(BROWSER_MISSING.replace('are skipped', 'cannot run'));
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * What keeps a page from being read at its viewport: content wider than the screen or than its
 * card, and a header (the project's name, the time of the last update) out of view once scrolled
 * to the bottom.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const problems: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page ${document.documentElement.scrollWidth} px wide on a ${width} px screen`);
    for (const card of document.querySelectorAll<HTMLElement>('.card')) {
      if (card.scrollWidth > card.clientWidth + 1) problems.push(`#${card.id} holds ${card.scrollWidth} px in ${card.clientWidth} px`);
    }
    window.scrollTo(0, document.documentElement.scrollHeight);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    if (window.scrollY === 0 && document.documentElement.scrollHeight > window.innerHeight) problems.push('the page did not scroll');
    for (const [what, selector] of [['project name', 'header h1'], ['update time', '#status time']] as const) {
      const element = document.querySelector(selector);
      const box = element?.getBoundingClientRect();
      if (!box || box.width === 0 || box.top < 0 || box.bottom > window.innerHeight) problems.push(`the ${what} is out of view at the bottom of the page`);
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

// A browser, imos serve and a daemon at once: each test is several times slower on a loaded machine.
describe.skipIf(!available)('the web dashboard in a real browser', { timeout: 8 * HANG_MS }, () => {
  let browser: Browser;
  let dir: string;
  let target: HttpTarget;
  let daemon: Running | null = null;

  /** A small workspace whose one target answers 500 with EVIL, and whose names carry it too. */
  function writeWorkspace(): void {
    const yaml = (auth: boolean) => `project: "Web ${EVIL}"
people: { luna: { name: "Luna ${EVIL}" } }
systems: { web: { name: "Shop ${EVIL}", leader: luna } }
defaults: { failure_threshold: 1 }
checks:
  - { id: shop-api, system: web, kind: http, url: "${target.url}/health", every: 1s, expect: ["status == 200"], severity: HIGH }
severities: { HIGH: { respond_within: 1h, notify: [console] } }
store: ./store/imos.json
${auth ? 'server:\n  auth: { token: "${IMOS_SERVER_TOKEN}" }\n' : ''}`;
    writeFileSync(path.join(dir, 'imos.yaml'), yaml(false));
    writeFileSync(path.join(dir, 'imos-auth.yaml'), yaml(true));
  }

  async function serve(config: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<{ run: Running; base: string }> {
    const run = startImos(['serve', '--config', path.join(dir, config), '--port', String(port)], { env });
    await waitFor('imos serve to listen', run, HANG_MS, () => (/listening on/.test(run.stderr()) ? true : undefined));
    return { run, base: `http://127.0.0.1:${port}` };
  }

  async function newPage(viewport = { width: 1920, height: 1080 }): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The CSP would report a blocked inline script or handler here: there must be none to block.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/ERR_CONNECTION_REFUSED|net::ERR|Failed to load resource/.test(message.text())) errors.push(message.text());
    });
    return { page, errors };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(OUTPUT, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'imos-web-e2e-'));
    target = await startHttpTarget({ '/health': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${EVIL}\n`) });
    writeWorkspace();
    // The daemon polls the target: its failures open an alert whose message carries the body.
    daemon = startImos(['daemon', '--config', path.join(dir, 'imos.yaml')]);
    const standup = await runImos(['--config', path.join(dir, 'imos.yaml'), 'standup', 'add', '--system', 'web', '--done', EVIL, '--next', 'javascript:window.pw=4', '--as', 'luna']);
    expect(standup.exitCode, standup.stderr).toBe(0);
  }, 4 * HANG_MS);

  afterAll(async () => {
    if (daemon) await stopImos(daemon);
    await cleanUpProcesses();
    await browser?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
  });

  it(
    'imos serve on the demo: the four systems and the alerts show, an imos ack from the CLI reaches the open page without a reload; screenshots',
    async () => {
      const demo = startDemo(postgresAvailable() ? ['--speed', '60'] : ['--no-postgres', '--speed', '60']);
      let served: Running | null = null;
      try {
        // The demo starts its PostgreSQL first (a fresh initdb: tens of seconds on a loaded machine).
        const demoBase = await waitFor('the dashboard URL', demo, 4 * HANG_MS, () => /dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\/dashboard/.exec(demo.stdout())?.[1]);
        const config = /console:\s+imos console --config (\S+)/.exec(demo.stdout())![1]!;
        // The demo serves the page itself; the one the browser opens is a running `imos serve` on the demo's world.
        const own = await (await fetch(`${demoBase}/dashboard`)).text();
        for (const name of ['Unified platform', 'Members (FastAPI)', 'PMS', 'Orders SaaS']) expect(own).toContain(name);
        served = startImos(['serve', '--config', config, '--port', String(await freePort())], { env: demo.env });
        const base = await waitFor('imos serve to listen', served, HANG_MS, () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(served!.stderr())?.[1]);
        const { page, errors } = await newPage();
        await page.goto(`${base}/dashboard`);
        await page.locator('#conn.live').waitFor({ timeout: HANG_MS });
        const tiles = page.locator('#systems .tile');
        expect(await tiles.count()).toBe(4);
        const systems = await page.locator('#systems').innerText();
        for (const name of ['Unified platform', 'Members (FastAPI)', 'PMS', 'Orders SaaS']) expect(systems).toContain(name);
        for (const id of ['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']) expect(systems).toContain(id);

        // An alert that stays open all day (the code quality gate the demo fails, or a missing
        // standup once one is due: not before the first due time after the workspace was made),
        // acknowledged from another process.
        const open = await waitFor('an open quality-gate or missing-standup alert', demo, HANG_MS, async () => {
          const { alerts } = (await (await fetch(`${base}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string; type: string }> };
          return alerts.find((a) => a.state === 'open' && (a.type === 'QUALITY_GATE' || a.type === 'MISSING_STANDUP'));
        });
        const row = page.locator(`#alert-${open.id}`);
        await row.waitFor({ timeout: HANG_MS });
        expect(await row.locator('.state').innerText()).not.toContain('ack');
        await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
        const ack = await runImos(['--config', config, 'ack', open.id, '--as', 'luna', '--note', 'seen on the wall'], { env: demo.env });
        expect(ack.exitCode, ack.stderr).toBe(0);
        const acked = Date.now();
        // How fast is `npm run bench`'s to say (dashboard: store change → page); here a bound that catches a hang.
        await page.locator(`#alert-${open.id} .state`, { hasText: 'ack luna' }).waitFor({ timeout: HANG_MS });
        console.info(`dashboard e2e: the acknowledgement of ${open.id} showed ${Date.now() - acked} ms after imos ack exited`);
        expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
        expect(await page.locator('#alerts').innerText()).toMatch(/luna ack/);

        await page.screenshot({ path: path.join(OUTPUT, 'dashboard-1080p.png') });
        // Readable on a wall screen and on phones: nothing wider than the screen or spilling out of
        // its card, and the project's name with the time of the last update in view wherever one scrolls.
        for (const viewport of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }, { width: 320, height: 640 }]) {
          await page.setViewportSize(viewport);
          expect(await layoutProblems(page), `${viewport.width}×${viewport.height}`).toEqual([]);
        }
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: path.join(OUTPUT, 'dashboard-phone.png') });
        // Light and dark follow the system's setting.
        const colours = async () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
        await page.emulateMedia({ colorScheme: 'light' });
        const light = await colours();
        await page.emulateMedia({ colorScheme: 'dark' });
        const dark = await colours();
        expect(dark[0]).not.toBe(light[0]);
        expect(dark[1]).not.toBe(light[1]);
        await page.setViewportSize({ width: 1920, height: 1080 });
        expect(await layoutProblems(page), 'dark, 1920×1080').toEqual([]);
        await page.screenshot({ path: path.join(OUTPUT, 'dashboard-1080p-dark.png') });
        expect(errors).toEqual([]);
      } finally {
        if (served) expect(await stopImos(served)).toEqual({ code: 0, signal: null });
        expect(await stopImos(demo)).toEqual({ code: 0, signal: null });
      }
    },
    10 * HANG_MS,
  );

  it('stopping the server shows "disconnected — retrying"; starting it again recovers and follows the store', async () => {
    const port = await freePort();
    let server = await serve('imos.yaml', port);
    const { page, errors } = await newPage({ width: 1280, height: 800 });
    await page.goto(`${server.base}/dashboard`);
    await page.locator('#conn.live').waitFor({ timeout: HANG_MS });
    expect(await stopImos(server.run)).toEqual({ code: 0, signal: null });
    await page.locator('#conn.down').waitFor({ timeout: HANG_MS });
    expect(await page.locator('#conn').innerText()).toBe('⚠ disconnected — retrying');
    expect(await page.evaluate(() => document.body.classList.contains('offline'))).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-disconnected.png') });

    server = await serve('imos.yaml', port);
    await page.locator('#conn.live').waitFor({ timeout: HANG_MS });
    expect(await page.evaluate(() => document.body.classList.contains('offline'))).toBe(false);
    // Live again: a standup entered now reaches the page.
    const standup = await runImos(['--config', path.join(dir, 'imos.yaml'), 'standup', 'add', '--system', 'web', '--done', 'after the restart', '--next', 'more', '--as', 'luna']);
    expect(standup.exitCode, standup.stderr).toBe(0);
    await page.locator('#overview', { hasText: 'after the restart' }).waitFor({ timeout: HANG_MS });
    expect(errors).toEqual([]);
    await stopImos(server.run);
  }, 4 * HANG_MS);

  it('text from a monitored system, a standup and the configuration stays text: no script runs, no handler, no script link', async () => {
    const server = await serve('imos.yaml', await freePort());
    await waitFor('the alert with the target’s body', server.run, HANG_MS, async () => {
      const { alerts } = (await (await fetch(`${server.base}/api/alerts`)).json()) as { alerts: Array<{ id: string; message: string }> };
      return alerts.find((a) => a.message.includes('window.pw=1'));
    });
    const { page, errors } = await newPage();
    await page.goto(`${server.base}/dashboard`);
    await page.locator('#conn.live').waitFor({ timeout: HANG_MS });
    // Live means the event stream's copy of every section (set with innerHTML) replaced the server's.
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>window.pw=1</script>'); // in the alert's message, shown as text
    expect(text).toContain(`Web ${EVIL}`); // the project's name in the header
    expect(text).toContain('Shop <script>window.pw=1</script>'); // the system's name (cut to fit its tile)
    expect(await page.evaluate(() => (window as unknown as { pw?: number }).pw)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[onerror], [onclick], [onload]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((scripts) => scripts.map((s) => s.getAttribute('src')))).toEqual(['dashboard/app.js']);
    // The alert's own page (the link notices carry) too.
    await page.locator('#alerts a').first().click();
    await page.waitForURL(/\/dashboard\/alerts\//, { timeout: HANG_MS });
    expect(await page.locator('body').innerText()).toContain('window.pw=1');
    expect(await page.evaluate(() => (window as unknown as { pw?: number }).pw)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);

    // With JavaScript off the server's page is whole, and reloads itself.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${server.base}/dashboard`);
    expect(await plain.locator('#systems .tile').count()).toBe(1);
    expect(await plain.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    // A change in the store shows after the page's own reload (no script could have brought it).
    const standup = await runImos(['--config', path.join(dir, 'imos.yaml'), 'standup', 'add', '--system', 'web', '--done', 'seen without scripts', '--next', 'more', '--as', 'luna']);
    expect(standup.exitCode, standup.stderr).toBe(0);
    await plain.locator('#overview', { hasText: 'seen without scripts' }).waitFor({ timeout: HANG_MS });
    await stopImos(server.run);
  }, 4 * HANG_MS);

  it('the token protects the page, its stream and the JSON; the login form opens them', async () => {
    const server = await serve('imos-auth.yaml', await freePort(), { IMOS_SERVER_TOKEN: TOKEN });
    const { page, errors } = await newPage({ width: 1280, height: 800 });
    await page.goto(`${server.base}/dashboard`);
    await page.waitForURL(/\/login\?next=dashboard$/, { timeout: HANG_MS });
    expect(await page.locator('.tile').count()).toBe(0);
    const api = await page.evaluate(async () => (await fetch('api/status')).status);
    expect(api).toBe(401);
    await page.fill('#token', 'not the token at all');
    await page.click('button[type=submit]');
    expect(await page.locator('.error').innerText()).toBe('wrong token');
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/dashboard$/, { timeout: HANG_MS });
    await page.locator('#conn.live').waitFor({ timeout: HANG_MS });
    expect(await page.locator('#systems .tile').count()).toBe(1);
    expect(await page.evaluate(async () => (await fetch('api/status')).status)).toBe(200);
    // The cookie is the browser's alone: scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(errors).toEqual([]);
    await stopImos(server.run);
  }, 4 * HANG_MS);
});
