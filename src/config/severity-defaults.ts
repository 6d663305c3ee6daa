// The default severity policy (docs/CONTRACT.md, "Defaults people rely on"): what the configuration
// loader fills in for a severity imos.yaml leaves out, and what the alert engine falls back on.
import type { Severity } from '../model.js';
import type { SeverityPolicy } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** CRITICAL at once, all channels, up the chain after 30 min; HIGH 1 h / 24 h; MEDIUM 24 h. */
export const DEFAULT_POLICIES: Record<Severity, SeverityPolicy> = {
  CRITICAL: {
    respondWithinMs: 0,
    notify: ['slack', 'email', 'console'],
    escalate: [
      { afterMs: 30 * MINUTE, to: ['manager'] },
      { afterMs: 30 * MINUTE, to: ['owner'] },
    ],
    ackTimeoutMs: 2 * HOUR,
  },
  HIGH: {
    respondWithinMs: HOUR,
    notify: ['slack', 'console'],
    escalate: [{ afterMs: 24 * HOUR, to: ['manager'] }],
  },
  MEDIUM: { respondWithinMs: 24 * HOUR, notify: ['console'], escalate: [], digest: 'weekly' },
};
