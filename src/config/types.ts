// The loaded, validated configuration: what the rest of imos reads. Durations are milliseconds,
// paths are absolute, conditions are parsed. Key names follow imos.example.yaml (the contract).
import type { Severity } from '../model.js';
import type { Condition } from '../conditions/types.js';
import type { ChannelsConfig } from '../channels/registry.js';

export interface Person {
  id: string;
  name: string;
  slack?: string;
  email?: string;
}

export interface SystemConfig {
  id: string;
  name: string;
  /** Person id of the system leader. */
  leader?: string;
  depends_on: string[];
}

export interface CheckConfig {
  id: string;
  system: string;
  kind: string;
  name?: string;
  everyMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  /** Severity → any-of conditions, most severe first. */
  thresholds: Array<{ severity: Severity; conditions: Condition[] }>;
  /** All must hold; otherwise the check is `severity`. */
  expect: Condition[];
  severity: Severity;
  /** The whole raw mapping from the file (kind-specific keys included), after env expansion. */
  options: Record<string, unknown>;
}

export interface EscalationLevel {
  afterMs: number;
  /** Person ids or roles (manager, owner, leader). */
  to: string[];
  /** Channels for this level; default: the severity's notify list. */
  channels?: string[];
}

export interface SeverityPolicy {
  respondWithinMs: number;
  notify: string[];
  escalate: EscalationLevel[];
  ackTimeoutMs?: number;
  digest?: 'daily' | 'weekly';
}

export interface MaintenanceWindow {
  name?: string;
  systems: string[];
  /** One-off window. */
  start?: string;
  end?: string;
  /** Weekly window: days (mon…sun), from HH:MM to HH:MM in `timezone` (default: the project's). */
  weekly?: { days: string[]; from: string; to: string; timezone?: string };
}

/** `server.auth`: what protects the dashboard and the JSON of `imos serve`. */
export interface ServerAuth {
  /** From the environment (`${IMOS_SERVER_TOKEN}`); never stored or shown. */
  token: string;
  /** Badges answer without the token (for READMEs and wikis outside). */
  public_badges: boolean;
}

export interface PhaseConfig {
  name: string;
  start: string;
  end: string;
  /** Matrix item or task ids the phase contains (default: those whose phase column names it). */
  items?: string[];
}

/** The three levels a quality gate belongs to (code → integration → business). */
export const GATE_LEVELS = ['code', 'integration', 'business'] as const;
export type GateLevel = (typeof GATE_LEVELS)[number];

/** One `require:` entry of a gate: checks (named, or every check of a kind) and what they must meet. */
export interface GateRequirement {
  /** As written, for evidence and messages: `saas-coverage`, `kind http`, `kind http on hotel-pms`. */
  label: string;
  /** The checks it reads, resolved when the configuration loads (disabled checks left out). */
  checks: string[];
  /** The conditions as written; none: each check must be passing (status ok). */
  that: string[];
  /** `that` parsed against each check's kind, by check id. */
  conditions: Record<string, Condition[]>;
}

export interface GateConfig {
  id: string;
  name: string;
  level: GateLevel;
  /** The phase (by name, as the timeline matches phases) whose move to done this gate guards. */
  phase?: string;
  /** Severity of the alert the gate opens while it fails. */
  severity: Severity;
  requirements: GateRequirement[];
}

export interface ImosConfig {
  /** Absolute path of the configuration file. */
  file: string;
  baseDir: string;
  project: string;
  timezone: string;
  people: Record<string, Person>;
  systems: Record<string, SystemConfig>;
  checks: CheckConfig[];
  severities: Record<Severity, SeverityPolicy>;
  /** Each channel's settings under its name (src/channels/registry.ts lists the channels). */
  channels: ChannelsConfig;
  maintenance: MaintenanceWindow[];
  /** Absolute path of the integration matrix, when configured. */
  matrix?: string;
  phases: PhaseConfig[];
  /** Quality gates, in the order code, integration, business (as written within a level). */
  gates: GateConfig[];
  /** Absolute path of the JSON store (or a postgres:// URL). */
  store: string;
  /** Scheduler: how many checks run at once. */
  concurrency: number;
  /** History points kept per check. */
  historySize: number;
  server: { host: string; port: number; public_url?: string; auth?: ServerAuth };
  /** Ids of checks written with `enabled: false` (validated, never run). */
  disabledChecks?: string[];
  /** Resolved alerts move from the hot store to the archive (the audit log) after this long. */
  retention: { resolvedAlertsMs: number };
  /** `imos daemon` exits 69 when it has been unable to poll for this long. */
  poller?: { graceMs: number };
  /** Pinged after every completed round of the poller (a dead man's switch); may hold a secret. */
  heartbeat?: string;
  /** Plan rules: the raw mapping, validated and read through config/plan-settings.ts. */
  plan: Record<string, unknown>;
  /** Open standup blockers become BLOCKER alerts of this severity (default HIGH). */
  blockers?: { severity?: Severity };
  /** Acting under a name not in `people`: warn (default) or refuse (src/identity.ts). */
  identity?: { unknownActors: 'warn' | 'refuse' };
  /** What to do when an alert opens: who to bring together, a runbook, actions (src/playbooks). */
  playbooks?: PlaybookConfig[];
}

/** An argument an action's command takes: a value from a fixed list or matching a pattern, never free text. */
export interface ActionArg {
  name: string;
  /** The allowed values (one of choices or pattern is set). */
  choices?: string[];
  /** A regular expression the whole value must match. */
  pattern?: string;
  /** Used when the runner gives no value; an argument without one must be given. */
  default?: string;
}

/** One thing a playbook can run: a program with its arguments (argv, never a shell) and its guard rails. */
export interface PlaybookAction {
  id: string;
  title: string;
  /** argv: the program and its arguments; `{name}` inside an element is replaced by a validated argument. */
  run: string[];
  /** Absolute working directory. */
  cwd: string;
  /** Added to imos's own environment for the run. */
  env: Record<string, string>;
  timeoutMs: number;
  /** A phrase the runner must type before it runs; null: a yes is enough. */
  confirm: string | null;
  /** Who may run it: person ids or roles (leader, dependents, coordinated, anyone). */
  allow: string[];
  /** Whether a second run may start while one runs (default: no). */
  overlap: boolean;
  /** Output kept of a run (the tail), in lines. */
  keepLines: number;
  args: ActionArg[];
}

/** What to do when an alert of some types, or of some checks, opens (`playbooks.<id>`). */
export interface PlaybookConfig {
  id: string;
  /** Alert types it answers (PENDING_MIGRATIONS…). */
  alertTypes: string[];
  /** Check ids it answers (a check's playbook wins over a type's). */
  checks: string[];
  /** Who to bring together beyond the severity policy: person ids, `leader`, `dependents`. */
  coordinate: string[];
  /** Markdown, shown in the console, the dashboard and the notices. */
  runbook: string;
  actions: PlaybookAction[];
  /** Slack buttons for its actions run them (for people in `people` only, signed requests). */
  allowSlackActions: boolean;
}
