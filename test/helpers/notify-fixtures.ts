// Fixtures for the notification and HTTP-face tests: a small, fully-formed configuration (the
// brief's people, systems and severity policy) and alerts / outbox rows to put in a real store.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeAlert as baseAlert } from './alerts.js';
import type { Alert, OutboxMessage } from '../../src/model.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { openStore } from '../../src/store/open.js';

export const SIGNING_SECRET = 'test-signing-secret-8f3a';
export const WEBHOOK_SECRET = 'test-webhook-secret-77c1';

export function notifyConfig(channels: { slackApiUrl?: string; smtp?: string; webhookUrl?: string; token?: string } = {}): ImosConfig {
  const min = 60_000;
  return {
    file: '/tmp/imos-test/imos.yaml',
    baseDir: '/tmp/imos-test',
    project: 'Hotel integration',
    timezone: 'Asia/Tokyo',
    people: {
      manager: { id: 'manager', name: 'Integration manager', slack: 'U01MANAGER', email: 'manager@example.com' },
      owner: { id: 'owner', name: 'Project owner', slack: 'U01OWNER', email: 'owner@example.com' },
      suno: { id: 'suno', name: 'Suno', slack: 'U01SUNO', email: 'suno@example.com' },
    },
    systems: {
      'hotel-common': { id: 'hotel-common', name: 'Unified platform', leader: 'manager', depends_on: [] },
      'hotel-member': { id: 'hotel-member', name: 'Members (FastAPI)', leader: 'suno', depends_on: ['hotel-common'] },
    },
    checks: [
      {
        id: 'member-api',
        system: 'hotel-member',
        kind: 'http',
        everyMs: 15_000,
        timeoutMs: 10_000,
        failureThreshold: 1,
        successThreshold: 1,
        thresholds: [],
        expect: [],
        severity: 'CRITICAL',
        options: {},
      },
    ],
    severities: {
      CRITICAL: {
        respondWithinMs: 0,
        notify: ['slack', 'email', 'console'],
        escalate: [
          { afterMs: 30 * min, to: ['manager'] },
          { afterMs: 30 * min, to: ['owner'] },
        ],
        ackTimeoutMs: 120 * min,
      },
      HIGH: { respondWithinMs: 60 * min, notify: ['slack', 'console'], escalate: [{ afterMs: 24 * 60 * min, to: ['manager'] }] },
      MEDIUM: { respondWithinMs: 24 * 60 * min, notify: ['console'], escalate: [], digest: 'weekly' },
    },
    channels: {
      ...(channels.slackApiUrl
        ? {
            slack: {
              token: channels.token ?? 'xoxb-test-token',
              signing_secret: SIGNING_SECRET,
              channel: '#hotel-integration-critical',
              api_url: channels.slackApiUrl,
            },
          }
        : { slack: { signing_secret: SIGNING_SECRET, channel: '#hotel-integration-critical' } }),
      ...(channels.smtp ? { email: { smtp: channels.smtp, from: 'imos@example.com' } } : {}),
      ...(channels.webhookUrl ? { webhook: { url: channels.webhookUrl, secret: WEBHOOK_SECRET } } : {}),
    },
    maintenance: [],
    phases: [],
    store: '/tmp/imos-test/imos.json',
    concurrency: 2,
    historySize: 50,
    server: { host: '127.0.0.1', port: 0 },
    plan: {},
    retention: { resolvedAlertsMs: 30 * 86_400_000 },
  };
}

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return baseAlert({ system: 'hotel-member', message: 'GET /health answered 503', value: 503, ...over });
}

let rowSeq = 0;
export function makeRow(over: Partial<OutboxMessage> = {}): OutboxMessage {
  rowSeq++;
  return {
    id: `R${rowSeq}`,
    channel: 'slack',
    kind: 'alert',
    alertId: 'A1',
    to: [],
    subject: '[CRITICAL] hotel-member: GET /health answered 503',
    text: 'CRITICAL: A1 SYSTEM_CONNECTION_FAILURE on hotel-member (check member-api): GET /health answered 503',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: '2026-01-05T00:00:00.000Z',
    lastError: null,
    createdAt: '2026-01-05T00:00:00.000Z',
    sentAt: null,
    ...over,
  };
}

/** A real JSON store in a fresh temp directory; `cleanup` closes it and removes the directory. */
export async function tempStore(): Promise<{ store: Store; dir: string; file: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-notify-'));
  const file = path.join(dir, 'imos.json');
  const store = await openStore(file);
  return {
    store,
    dir,
    file,
    cleanup: async () => {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
