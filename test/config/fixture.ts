// What the configuration tests share: where the file is said to be, the hotel integration's people
// and systems (each test file adds the checks and sections it is about), and the refusals of a
// configuration as `line[:column] field: message` strings.
import { ConfigError, loadConfigText } from '../../src/config/load.js';

export const FILE = '/work/imos.yaml';

/** The head of imos.yaml up to `systems:` (nine lines; `checks:` and the rest follow). */
export const HOTEL_HEAD = `project: Hotel integration
timezone: Asia/Tokyo
people:
  manager: { name: Manager, email: m@example.com }
  owner: { name: Owner }
  luna: { name: Luna }
systems:
  hotel-common: { name: Unified platform, leader: manager }
  hotel-pms: { name: PMS, leader: luna, depends_on: [hotel-common] }
`;

/** Why `text` is refused, one string an issue; throws if it loads. */
export function configIssues(text: string, options: { env?: NodeJS.ProcessEnv; columns?: boolean } = {}): string[] {
  try {
    loadConfigText(text, FILE, { env: options.env ?? {} });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.line ?? '-'}${options.columns ? `:${i.column ?? '-'}` : ''} ${i.field}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}
