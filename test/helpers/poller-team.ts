// A team whose pollers are put to the test (daemons killed, taken over, on several hosts): its
// configuration (three people, CRITICAL alerts told on Slack and escalated twice within seconds),
// the targets its checks watch (each path up or down as the test sets it), and the bounded waits
// and figures such tests need.
import type { ServerResponse } from 'node:http';
import { startHttpTarget, type HttpTarget } from './http-target.js';
import type { SlackApi } from './slack-api.js';

export { waitUntil } from './bounds.js';

/** The `q` quantile (0..1) of `values`, one of the values (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A loopback target whose paths answer 200 or 503 as the test sets them in `up`. */
export async function switchableTarget(paths: string[]): Promise<{ target: HttpTarget; up: Map<string, boolean> }> {
  const up = new Map(paths.map((p) => [p, true]));
  const routes = Object.fromEntries(
    paths.map((p) => [`/${p}`, (_req: unknown, res: ServerResponse) => res.writeHead(up.get(p) ? 200 : 503).end(up.get(p) ? 'ok' : 'down')]),
  );
  return { target: await startHttpTarget(routes), up };
}

/**
 * The team's imos.yaml: one CRITICAL HTTP check a path of `target` (every second, one failure
 * opens an alert; a 10 s timeout, only for a hang: the loopback target answers at once, and a
 * loaded machine must not turn a slow answer into a failure that opens an alert), told on Slack at once and escalated after 2 s and 4 s. The Slack token comes
 * from SLACK_BOT_TOKEN.
 */
export function teamYaml(options: { target: HttpTarget; slack: SlackApi; checks: string[]; store: string; project: string; signingSecret?: string }): string {
  const { target, slack, checks, store, project, signingSecret } = options;
  return `project: ${project}
people:
  manager: { name: Manager, slack: U01MANAGER }
  owner: { name: Owner, slack: U01OWNER }
  suno: { name: Suno, slack: U01SUNO }
systems:
  pms: { name: PMS, leader: suno }
defaults: { every: 1s, timeout: 10s, failure_threshold: 1 }
checks:
${checks.map((id) => `  - { id: ${id}, system: pms, kind: http, url: "${target.url}/${id}", severity: CRITICAL }`).join('\n')}
severities:
  CRITICAL:
    respond_within: 0m
    notify: [slack]
    escalate:
      - { after: 2s, to: [manager] }
      - { after: 4s, to: [owner] }
channels:
  slack: { token: "\${SLACK_BOT_TOKEN}",${signingSecret ? ` signing_secret: "${signingSecret}",` : ''} channel: "#ops", api_url: "${slack.url}" }
store: ${store}
`;
}
