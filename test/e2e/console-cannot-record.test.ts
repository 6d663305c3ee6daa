// End-to-end: a console that polls itself (no daemon holds the lease) and cannot store its results
// says so at its first failed write — `✖ NOT POLLING` in the header, the reason in the status line
// — not only once no round has been recorded for the overdue limit (1 min here). The database
// refuses the results (a trigger raising an error on the checks' table, as a quota or a permission
// would); the lease and every read still work. Real binary in tmux, real throwaway PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { HANG_MS } from '../helpers/bounds.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

const tmux = new Tmux(`imos-cannot-record-${process.pid}`);
let db: TestPostgres;
let dir = '';

describe.skipIf(!hasTmux || !postgresAvailable())('a console polling a store that refuses its results', () => {
  beforeAll(async () => {
    db = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-cannot-record-'));
  });

  afterAll(async () => {
    tmux.kill();
    await db?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows NOT POLLING and why from the first failed write, and clears it once results are stored again', async () => {
    const url = await db.createDatabase('refusing');
    await (await openStore(url)).close(); // the schema
    fs.writeFileSync(
      path.join(dir, 'imos.yaml'),
      `project: Refused results
systems: { pms: { name: PMS } }
defaults: { every: 1s }
checks:
  - { id: echo, system: pms, kind: command, run: ["${process.execPath}", "-e", "console.log('1 rows')"] }
store: \${IMOS_STORE_URL}
`,
    );
    tmux.start('c', dir, `${consoleEnv({ IMOS_STORE_URL: url })} ${imosCommand()} console --config imos.yaml`);
    // Polling here: the lease is the console's and its rounds are recorded.
    await tmux.waitFor('c', (s) => /poller: console /.test(s) && /last poll \d+s ago/.test(s), HANG_MS * 2);
    expect(tmux.capture('c')).not.toContain('NOT POLLING');

    await db.query(
      `create function refuse_results() returns trigger language plpgsql as $$ begin raise exception 'results refused: quota exceeded'; end $$;
       create trigger refuse_results before insert or update on imos_checks for each row execute function refuse_results();`,
      [],
      'refusing',
    );
    // Well before the overdue limit (1 min): the first failed write is enough.
    const refused = Date.now();
    const screen = await tmux.waitFor('c', (s) => s.includes('✖ NOT POLLING') && s.includes('quota exceeded'));
    expect(Date.now() - refused).toBeLessThan(30_000);
    expect(screen).toMatch(/not polling: cannot record results: .*results refused: quota exceeded/);
    expect(screen).toMatch(/poller: console /); // it still holds the lease: nobody else would poll

    await db.query('drop trigger refuse_results on imos_checks', [], 'refusing');
    await tmux.waitFor('c', (s) => !s.includes('NOT POLLING') && !s.includes('quota exceeded'));
    tmux.keys('c', 'q');
    await tmux.waitFor('c', 'EXITED-0');
  }, 120_000);
});
