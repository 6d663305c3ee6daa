// The configuration file's shape (imos.yaml), as written by people. Key names follow
// imos.example.yaml, the contract: extend, never rename. Normalisation (durations → ms, paths →
// absolute, conditions → parsed) happens in normalize.ts; this file only says what is allowed.
import * as z from 'zod';
import { SEVERITIES } from '../model.js';
import { parseDuration } from '../text/durations.js';
import { allChannels, channelRegistryRevision } from '../channels/registry.js';
import type { Channel } from '../channels/types.js';
import { playbooksSchema } from './playbooks.js';

/** A number where a duration belongs (`every: 30`): say what to write instead. */
const durationNotNumber = (issue: { input?: unknown }): string | undefined =>
  typeof issue.input === 'number' ? `${issue.input} is a number, not a duration: use a duration such as 30s` : undefined;

export const durationText = z
  .string({ error: durationNotNumber })
  .refine((s) => parseDuration(s) !== null, { message: 'expected a duration such as 30s, 10m, 24h' })
  .describe('A duration: 500ms, 30s, 10m, 24h, 2d');

/** How often a check runs: at least 1s (0s would run it back to back, hammering target and store). */
const intervalText = durationText.refine((s) => (parseDuration(s) ?? 1000) >= 1000, { message: 'expected an interval of at least 1s' });
/** A check's timeout: more than 0 (0s would fail every run at once). */
const timeoutText = durationText.refine((s) => (parseDuration(s) ?? 1) > 0, { message: 'expected a timeout longer than 0s' });

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an id of letters, digits, "-", "_" or "."');

const conditionText = z.string().min(1).describe("A condition: <metric> <op> <value>, e.g. \"lag > 5s\"");
const conditionList = z.union([conditionText, z.array(conditionText).min(1)]);

export const personSchema = z.strictObject({
  name: z.string().min(1),
  slack: z.string().optional().describe('Slack user id, e.g. U01ABCDEF'),
  email: z.string().email().optional(),
});

export const systemSchema = z.strictObject({
  name: z.string().min(1),
  leader: id.optional().describe('Person id of the system leader'),
  depends_on: z.array(id).default([]),
});

export const defaultsSchema = z.strictObject({
  every: intervalText.default('30s'),
  timeout: timeoutText.default('10s'),
  failure_threshold: z.number().int().min(1).max(100).default(2),
  success_threshold: z.number().int().min(1).max(100).default(1),
  concurrency: z.number().int().min(1).max(64).default(4).describe('Runs at a time against one target (an HTTP host, a database server, this machine for programs)'),
  history: z.number().int().min(2).max(1000).default(60),
});

/** Keys every check has; a check is validated by this schema extended by its kind's own (checks.ts). */
export const commonCheckSchema = z.looseObject({
  id,
  system: id,
  kind: z.string().min(1),
  name: z.string().optional(),
  every: intervalText.optional(),
  timeout: timeoutText.optional(),
  failure_threshold: z.number().int().min(1).max(100).optional(),
  success_threshold: z.number().int().min(1).max(100).optional(),
  thresholds: z.partialRecord(z.enum(SEVERITIES), conditionList).optional(),
  expect: conditionList.optional(),
  severity: z.enum(SEVERITIES).optional().describe('Severity when an expectation fails (default CRITICAL)'),
  enabled: z.boolean().optional().describe('false: validated but never run'),
});

const escalationLevelSchema = z.strictObject({
  after: durationText,
  to: z.array(z.string().min(1)).min(1).describe('Person ids, or "leader" for the system leader'),
  channels: z.array(z.string()).optional(),
});

/** A severity's policy; `notify` names channels of the registry (src/channels/registry.ts). */
function buildSeverityPolicySchema(channels: readonly string[]) {
  return z.strictObject({
    respond_within: durationText,
    notify: z.array(z.enum(channels as [string, ...string[]])).default(['console']),
    escalate: z.array(escalationLevelSchema).default([]),
    ack_timeout: durationText.optional(),
    digest: z.enum(['daily', 'weekly']).optional(),
  });
}

/** `channels:`: each registered channel's own settings schema under its name. */
function buildChannelsSchema(channels: readonly Channel[]) {
  const shape: Record<string, z.ZodOptional<z.ZodType<object>>> = {};
  for (const channel of channels) if (channel.settings) shape[channel.name] = channel.settings.optional();
  return z.strictObject(shape);
}

const dateText = z.union([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
    .refine((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      message: 'not a calendar date (expected YYYY-MM-DD)',
    }),
  z.date().transform((d) => d.toISOString().slice(0, 10)),
]);

export const phaseSchema = z.strictObject({
  name: z.string().min(1),
  start: dateText,
  end: dateText,
  items: z.array(z.string()).optional(),
});

const gateRequirementSchema = z
  .strictObject({
    check: z.union([id, z.array(id).min(1)]).optional().describe('Check id(s) the requirement reads'),
    kind: z.string().min(1).optional().describe('Or: every enabled check of this kind'),
    system: id.optional().describe('With kind: only the checks of this system'),
    that: conditionList.optional().describe('Conditions over the check\'s metrics; none: the check must be passing'),
  })
  .superRefine((r, ctx) => {
    if ((r.check === undefined) === (r.kind === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give either check (an id or a list of ids) or kind' });
    }
    if (r.system !== undefined && r.kind === undefined) ctx.addIssue({ code: 'custom', path: ['system'], message: 'system narrows a kind: give kind too' });
  });

export const gateSchema = z.strictObject({
  id,
  name: z.string().min(1).optional(),
  phase: z.string().min(1).optional().describe('Phase name: moving it to done needs this gate to pass'),
  severity: z.enum(SEVERITIES).default('HIGH').describe('Severity of the alert while the gate fails'),
  require: z.array(gateRequirementSchema).min(1),
});

/** `gates:` grouped by level; each level a list of gates. */
export const gatesSchema = z.strictObject({
  code: z.array(gateSchema).default([]),
  integration: z.array(gateSchema).default([]),
  business: z.array(gateSchema).default([]),
});

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');
const dateTime = z.union([z.string().min(1), z.date().transform((d) => d.toISOString())]);

export const maintenanceSchema = z.strictObject({
  name: z.string().optional(),
  systems: z.array(id).min(1),
  start: dateTime.optional(),
  end: dateTime.optional(),
  weekly: z
    .strictObject({
      days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
      from: timeOfDay,
      to: timeOfDay,
      timezone: z.string().optional(),
    })
    .optional(),
});

export const serverSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3401),
  public_url: z.string().url().optional(),
  auth: z
    .strictObject({
      token: z
        .string()
        .min(16, 'the token needs at least 16 characters (e.g. `openssl rand -hex 24`), from the environment: token: ${IMOS_SERVER_TOKEN}')
        .describe('Bearer token (or login form) protecting /dashboard, /api/* and /metrics'),
      public_badges: z.boolean().default(false).describe('Serve /badge/<system>.svg without the token'),
    })
    .optional(),
});

function buildConfigSchema(channels: readonly Channel[]) {
  const severityPolicySchema = buildSeverityPolicySchema(channels.map((c) => c.name));
  return z.strictObject({
    project: z.string().min(1),
    timezone: z.string().default('UTC'),
    people: z.record(id, personSchema).default({}),
    systems: z.record(id, systemSchema),
    defaults: defaultsSchema.default(defaultsSchema.parse({})),
    // Each check is validated once, by its kind's schema merged with commonCheckSchema (checks.ts).
    checks: z.array(z.unknown()).default([]),
    severities: z.partialRecord(z.enum(SEVERITIES), severityPolicySchema).default({}),
    channels: buildChannelsSchema(channels).default({}),
    maintenance: z.array(maintenanceSchema).default([]),
    matrix: z.string().optional().describe('Path of the integration matrix (Markdown)'),
    phases: z.array(phaseSchema).default([]),
    gates: gatesSchema.default({ code: [], integration: [], business: [] }).describe('Quality gates by level: code, integration, business'),
    store: z.string().optional().describe('Path of the JSON store (default ./data/imos.json)'),
    server: serverSchema.default(serverSchema.parse({})),
    blockers: z
      .strictObject({ severity: z.enum(SEVERITIES).default('HIGH').describe('Severity of the alert a standup blocker opens') })
      .optional(),
    poller: z
      .strictObject({
        grace: durationText
          .default('2m')
          .describe('How long `imos daemon` keeps trying when it cannot poll (lease or store unwritable) before it exits 69 for its supervisor to restart it'),
      })
      .default({ grace: '2m' }),
    heartbeat: z
      .string()
      .url()
      .optional()
      .describe('A URL pinged (GET) after every completed round of the poller, for a dead man\'s switch (Healthchecks-style)'),
    retention: z
      .strictObject({ resolved_alerts: durationText.default('30d').describe('How long resolved alerts stay in the hot store before the archive') })
      .default({ resolved_alerts: '30d' }),
    plan: z.record(z.string(), z.unknown()).default({}).describe('Plan settings: timeline thresholds, standup due time'),
    identity: z
      .strictObject({
        unknown_actors: z
          .enum(['warn', 'refuse'])
          .default('warn')
          .describe('Someone acting under a name that is not in people: warn (flagged on screen and in the output) or refuse'),
      })
      .default({ unknown_actors: 'warn' }),
    playbooks: playbooksSchema.describe('What to do when an alert opens: who to bring together, a runbook, actions'),
  });
}

type ConfigSchema = ReturnType<typeof buildConfigSchema>;
type SeverityPolicySchema = ReturnType<typeof buildSeverityPolicySchema>;
let built: { revision: number; config: ConfigSchema; severityPolicy: SeverityPolicySchema } | null = null;

function schemas(): NonNullable<typeof built> {
  const revision = channelRegistryRevision();
  if (!built || built.revision !== revision) {
    const channels = allChannels();
    built = { revision, config: buildConfigSchema(channels), severityPolicy: buildSeverityPolicySchema(channels.map((c) => c.name)) };
  }
  return built;
}

/** The schema of imos.yaml, for the channels registered now. */
export function configSchema(): ConfigSchema {
  return schemas().config;
}

/** The schema of one severity's policy (`severities.CRITICAL`…). */
export function severityPolicySchema(): SeverityPolicySchema {
  return schemas().severityPolicy;
}

export type RawConfig = z.output<ConfigSchema>;
export type RawCheck = z.output<typeof commonCheckSchema>;
