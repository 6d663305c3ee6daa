// Who is acting: the login user (also over SSH and under sudo), when no --as name is given.
import os from 'node:os';
import { sanitizeLine } from './text/sanitize.js';
import type { ImosConfig } from './config/types.js';

export function loginUser(): string {
  const fromEnv = process.env.SUDO_USER || process.env.USER || process.env.LOGNAME;
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Who acts: `--as NAME` (else the login user), stripped of terminal controls: it is printed and stored. */
export function actorName(as?: string): string {
  return sanitizeLine(as ?? '', 80) || sanitizeLine(loginUser(), 80) || 'unknown';
}

/** Person id of `who` (an id or a name, case-insensitive), if it names a configured person. */
export function personIdOf(config: Pick<ImosConfig, 'people'>, who: string): string | null {
  const w = who.trim().toLowerCase();
  if (!w) return null;
  for (const p of Object.values(config.people)) {
    if (p.id.toLowerCase() === w || p.name.toLowerCase() === w) return p.id;
  }
  return null;
}

/**
 * Whether `actor` is flagged as unknown: a name that is not in `people`. With no people configured
 * nobody is known and nobody is flagged (there is nothing to check against).
 */
export function isUnknownActor(config: Pick<ImosConfig, 'people'>, actor: string): boolean {
  return Object.keys(config.people).length > 0 && personIdOf(config, actor) === null;
}

/** Acting under an unknown name is refused (`identity.unknown_actors: refuse`). */
export function refusesUnknownActors(config: Pick<ImosConfig, 'identity'>): boolean {
  return config.identity?.unknownActors === 'refuse';
}

/** The one sentence that flags an unknown actor, in the CLI's output and on the console. */
export function unknownActorMessage(config: Pick<ImosConfig, 'people' | 'identity'>, actor: string): string {
  const ids = Object.keys(config.people);
  const shown = ids.slice(0, 6).join(', ') + (ids.length > 6 ? ', …' : '');
  return refusesUnknownActors(config)
    ? `"${actor}" is not in people (${shown}) and this workspace refuses unknown names (identity.unknown_actors: refuse): pass --as PERSON`
    : `acting as "${actor}", who is not in people (${shown}): pass --as PERSON to act under your own name`;
}

/** Who is the same person: same person id, or the same name when neither is configured. */
export function samePerson(config: Pick<ImosConfig, 'people'>, a: string, b: string): boolean {
  const ia = personIdOf(config, a);
  const ib = personIdOf(config, b);
  if (ia || ib) return ia === ib;
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
