// Who is acting: the login user (also over SSH and under sudo), when no --as name is given.
import os from 'node:os';

export function loginUser(): string {
  const fromEnv = process.env.SUDO_USER || process.env.USER || process.env.LOGNAME;
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
