// The log of a long-running command (`imos daemon`, `imos serve`, `imos demo`): one timestamped
// line each on stderr, with no terminal controls and no secret of the configuration in it.
import type { ImosConfig } from '../config/types.js';
import { configSecrets } from '../config/secrets.js';
import { redactSecrets } from '../text/redact.js';
import { sanitizeText } from '../text/sanitize.js';

export type LogLine = (line: string) => void;

export function processLog(config: ImosConfig, write: (text: string) => void = (text) => process.stderr.write(text)): LogLine {
  const secrets = configSecrets(config);
  return (line) => write(`${new Date().toISOString()} ${sanitizeText(redactSecrets(line, secrets))}\n`);
}
