/// <reference lib="dom" />
// The dashboard's script, run by the browser (served as /dashboard/app.js, the function's own
// source: no build step, no library). It follows the server's event stream (Server-Sent Events):
// each event carries the sections whose HTML changed, which replace the page's parts in place, and
// the time of the update. A dropped stream shows "disconnected — retrying" at once and reconnects
// with a growing pause; a stream silent for longer than the server's heartbeat counts as dropped.
// The page works without it (server-rendered, refreshing itself).
//
// It must stay self-contained: it is sent as `(${dashboardClient})()` and may use nothing from
// outside the function.
export function dashboardClient(): void {
  const conn = document.getElementById('conn');
  const root = document.querySelector('link[rel=stylesheet]')?.getAttribute('href')?.replace(/dashboard\/app\.css$/, '') ?? '';
  const streamUrl = `${root}dashboard/events`;
  const HEARTBEAT_GRACE_MS = 15_000;
  let source: EventSource | null = null;
  let lastEvent = Date.now();
  let retryMs = 1000;
  let retryTimer: number | null = null;
  let live = false;

  function show(state: 'live' | 'down'): void {
    if (!conn) return;
    conn.className = `conn ${state}`;
    // The time of the last update stays in the header's status line, in the project's timezone.
    conn.textContent = state === 'live' ? '● live' : '⚠ disconnected — retrying';
    document.body.classList.toggle('offline', state === 'down');
  }

  function apply(message: { at: string; title?: string; sections?: Record<string, string> }): void {
    for (const [id, markup] of Object.entries(message.sections ?? {})) {
      const element = document.getElementById(id);
      // The server escaped every value in these sections; scripts inside innerHTML never run, and
      // the Content-Security-Policy forbids inline handlers.
      if (element) element.innerHTML = markup;
    }
    if (message.title) document.title = message.title;
    show('live');
  }

  function connect(): void {
    retryTimer = null;
    source?.close();
    const stream = new EventSource(streamUrl);
    source = stream;
    lastEvent = Date.now();
    stream.addEventListener('dashboard', (event) => {
      lastEvent = Date.now();
      retryMs = 1000;
      live = true;
      apply(JSON.parse((event as MessageEvent<string>).data));
    });
    stream.addEventListener('error', () => {
      if (source !== stream) return;
      live = false;
      show('down');
      // The browser retries a dropped stream by itself; one it gave up on (an HTTP error) is ours.
      if (stream.readyState === EventSource.CLOSED) retryLater(stream);
    });
  }

  function retryLater(stream: EventSource): void {
    stream.close();
    if (retryTimer !== null) return;
    // A login that ran out sends the viewer to the login form instead of retrying for ever.
    void fetch(streamUrl, { method: 'HEAD', credentials: 'same-origin' })
      .then((res) => {
        if (res.status === 401) window.location.href = `${root}login?next=dashboard`;
      })
      .catch(() => undefined);
    retryTimer = window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  }

  // A connection that went quiet without an error (a sleeping laptop, a proxy holding it) is dropped too.
  window.setInterval(() => {
    if (source && Date.now() - lastEvent > HEARTBEAT_GRACE_MS) {
      live = false;
      show('down');
      retryLater(source);
    }
  }, 2000);
  window.addEventListener('online', () => {
    if (!live && source) retryLater(source);
  });
  connect();
}

/** The script as the browser gets it. */
export function dashboardScript(): string {
  return `"use strict";(${dashboardClient.toString()})();\n`;
}
