// Fixtures for the notification and HTTP-face tests: the hotel integration's configuration with
// loopback channels, and alerts / outbox rows to put in a real store.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeAlert as baseAlert } from './alerts.js';
import type { Alert, OutboxMessage } from '../../src/model.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { openStore } from '../../src/store/open.js';
import { checkConfig, hotelConfig } from './config.js';

export const SIGNING_SECRET = 'test-signing-secret-8f3a';
export const WEBHOOK_SECRET = 'test-webhook-secret-77c1';

/** The hotel integration (test/helpers/config.ts) with the channels a test talks to on loopback. */
export function notifyConfig(
  channels: { slackApiUrl?: string; smtp?: string; webhookUrl?: string; token?: string; actionsFrom?: 'people' | 'workspace' } = {},
): ImosConfig {
  return hotelConfig({
    checks: [checkConfig('member-api', 'hotel-member', { kind: 'http', everyMs: 15_000, failureThreshold: 1 })],
    channels: {
      slack: {
        ...(channels.slackApiUrl ? { token: channels.token ?? 'xoxb-test-token' } : {}),
        signing_secret: SIGNING_SECRET,
        channel: '#hotel-integration-critical',
        ...(channels.slackApiUrl ? { api_url: channels.slackApiUrl } : {}),
        ...(channels.actionsFrom ? { actions_from: channels.actionsFrom } : {}),
      },
      ...(channels.smtp ? { email: { smtp: channels.smtp, from: 'imos@example.com' } } : {}),
      ...(channels.webhookUrl ? { webhook: { url: channels.webhookUrl, secret: WEBHOOK_SECRET } } : {}),
    },
    concurrency: 2,
    historySize: 50,
    server: { host: '127.0.0.1', port: 0 },
  });
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
