// The lease holder's work after the checks: alerts, escalation, notifications. Wired here so
// every face (console, daemon, `imos check`) does the same.
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import type { EnginePipeline } from './engine.js';

export async function buildPipeline(config: ImosConfig, store: Store): Promise<EnginePipeline> {
  void config;
  void store;
  return {};
}
