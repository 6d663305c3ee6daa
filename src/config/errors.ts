// A configuration mistake: where it is (file, line, column, field) and what was expected.
import { sanitizeText } from '../text/sanitize.js';
import { redactSecrets } from '../text/redact.js';
import { envSecrets } from '../text/secrets.js';

export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  field: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : issue.file;
  // Messages quote the file's values, after ${VAR} expansion: no terminal controls, no secrets.
  const message = redactSecrets(issue.message, envSecrets(process.env));
  return sanitizeText(issue.field ? `${where}: ${issue.field}: ${message}` : `${where}: ${message}`);
}
