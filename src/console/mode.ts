// Who acts in the console and whether it may change anything: the same for the frame drawn before
// Ink (first-frame.ts) and for the console itself (full-screen.ts).
import type { ImosConfig } from '../config/types.js';
import { actorName, isUnknownActor, refusesUnknownActors } from '../identity.js';

export interface ConsoleMode {
  actor: string;
  wallboard: boolean;
  /** No action that changes state: --readonly, the wallboard, or a name the workspace refuses. */
  readonly: boolean;
}

export function consoleMode(config: ImosConfig, options: { as?: string; readonly?: boolean; wallboard?: boolean }): ConsoleMode {
  const actor = actorName(options.as);
  const wallboard = Boolean(options.wallboard);
  // A name not in `people` where the workspace refuses those: the console opens read-only and its
  // header says why (views/chrome.ts).
  const refused = isUnknownActor(config, actor) && refusesUnknownActors(config);
  return { actor, wallboard, readonly: Boolean(options.readonly) || wallboard || refused };
}
