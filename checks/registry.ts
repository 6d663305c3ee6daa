// The registry of check kinds: the one place that knows every kind. Add a kind by importing its
// module and listing it below.
import type { CheckKind } from './types.js';
import { postgresCheck } from './postgres.js';
import { sqlCheck } from './sql.js';
import { migrationsCheck } from './migrations.js';
import { tablesCheck } from './tables.js';
import { syncLagCheck } from './sync-lag.js';
import { eventFlowCheck } from './event-flow.js';
import { consistencyCheck } from './consistency.js';
import { httpCheck } from './http.js';
import { commandCheck } from './command.js';
import { typescriptCheck } from './typescript.js';
import { coverageCheck } from './coverage.js';

const KINDS: CheckKind<any>[] = [
  // (kinds are listed here as their modules land)
  postgresCheck,
  sqlCheck,
  migrationsCheck,
  tablesCheck,
  syncLagCheck,
  eventFlowCheck,
  consistencyCheck,
  httpCheck,
  commandCheck,
  typescriptCheck,
  coverageCheck,
];

const byName = new Map(KINDS.map((k) => [k.kind, k]));

export function getCheckKind(kind: string): CheckKind<any> | undefined {
  return byName.get(kind);
}

export function checkKindNames(): string[] {
  return [...byName.keys()].sort();
}

export function allCheckKinds(): CheckKind<any>[] {
  return [...KINDS];
}
