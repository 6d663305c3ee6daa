// Who is acting: the login user (also over SSH and under sudo), when no --as name is given.
import os from 'node:os';
import { sanitizeLine } from './text/sanitize.js';

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
