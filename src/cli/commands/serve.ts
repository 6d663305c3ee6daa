// `imos serve [--port 3401] [--host 127.0.0.1]`: the HTTP face (the web dashboard, status JSON,
// metrics, Slack interactivity). Loopback unless told otherwise; stops cleanly on SIGTERM / SIGINT.
import net from 'node:net';
import type { Command } from 'commander';
import { CliError, EXIT, withContext } from '../context.js';
import { processLog } from '../log.js';
import { startIsOver } from '../../started.js';
import { firstStopSignal } from '../stop-signals.js';

interface ServeOptions {
  port?: string;
  host?: string;
}

export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new CliError(`--port: expected a port number (0-65535), got "${text}"`, EXIT.usage);
  return Number(text);
}

/** An address only this machine reaches: localhost, 127.0.0.0/8, ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const v4 = net.isIPv4(h) ? h : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  if (v4 && net.isIPv4(v4)) return v4.startsWith('127.');
  return net.isIPv6(h) && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(h);
}

/** What `imos serve` says when it listens where other machines reach it (nothing on loopback). */
export function exposureWarnings(host: string, auth: boolean): string[] {
  if (isLoopbackHost(host)) return [];
  return [
    `warning: bound to ${host}, reachable from other machines`,
    ...(auth ? [] : ['warning: server.auth is not set: anyone who can reach it sees the dashboard, /api/* and /metrics']),
  ];
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the web dashboard, status JSON, Prometheus metrics and Slack interactivity over HTTP (stops on SIGTERM)')
    .option('--port <port>', 'port to listen on (default: server.port, else 3401)')
    .option('--host <host>', 'address to bind (default: server.host, else 127.0.0.1)')
    .action(
      withContext(async (ctx, opts: ServeOptions) => {
        const port = opts.port !== undefined ? parsePort(opts.port) : (ctx.config.server?.port ?? 3401);
        const host = opts.host?.trim() || ctx.config.server?.host || '127.0.0.1';
        const log = processLog(ctx.config);
        const { startServer } = await import('../../server/server.js');
        let server;
        try {
          server = await startServer({ store: ctx.store, config: ctx.config, clock: ctx.clock, host, port, log });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE') throw new CliError(`port ${port} on ${host} is already in use (choose another with --port)`);
          if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot bind to ${host}: no such local address`);
          throw error;
        }
        startIsOver(); // the code compiled so far goes into the code cache (src/cli/entry.ts)
        log(`imos serve listening on ${server.url} (store ${ctx.store.location}); the dashboard: ${server.url}/dashboard`);
        for (const warning of exposureWarnings(host, Boolean(ctx.config.server?.auth?.token))) log(warning);
        if (!ctx.config.channels.slack?.signing_secret) log('Slack actions are off: channels.slack.signing_secret is not set');
        await firstStopSignal((signal) => log(`${signal} again: already stopping`));
        log('stopping');
        await server.close();
        return 0;
      }),
    );
}
