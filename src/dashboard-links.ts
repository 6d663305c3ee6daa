// Where things live on the dashboard of `imos serve` (docs/CONTRACT.md "HTTP"), and the links
// notices carry to them once `server.public_url` says where the dashboard is reachable.
import type { ImosConfig } from './config/types.js';

export const DASHBOARD_PATH = '/dashboard';

/** The page of one alert (its facts, notes and history), relative to the server's root. */
export function alertPath(alertId: string): string {
  return `${DASHBOARD_PATH}/alerts/${encodeURIComponent(alertId)}`;
}

/** The alert's page at `server.public_url`, or null when no public URL is configured. */
export function alertUrl(config: Pick<ImosConfig, 'server'>, alertId: string): string | null {
  const base = config.server?.public_url?.trim();
  if (!base) return null;
  return `${base.replace(/\/+$/, '')}${alertPath(alertId)}`;
}
