// Secrets (passwords in connection strings, tokens) are shown redacted everywhere.

/** `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`; also ?password=…, ?api_key=… */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/i, '$1:***@')
    .replace(/([?&][^=&#\s]*(?:password|pass|pwd|token|secret|key|auth|signature)[^=&#\s]*=)[^&#\s]*/gi, '$1***');
}

/** Redact every URL-with-password and every known secret value inside a free text. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (u) => redactUrl(u));
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
