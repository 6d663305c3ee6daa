// docs/CONTRACT.md says what the code does: the fields it lists for a check and an alert are the
// ones the JSON carries, in order, and every exit code the commands use is documented. And the
// project cites its own docs only: no file points at a design document outside the repository.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_JSON_FIELDS } from '../../src/alert-json.js';
import { toJson } from '../../src/cli/commands/check.js';
import { EXIT } from '../../src/exit.js';
import type { CheckResult } from '../../src/model.js';

const CONTRACT = readFileSync(new URL('../../docs/CONTRACT.md', import.meta.url), 'utf8');

/** The first column of the table under a heading, without its backquotes. */
function fieldsUnder(heading: string): string[] {
  const section = CONTRACT.slice(CONTRACT.indexOf(heading));
  const table = section.slice(section.indexOf('\n|'), section.indexOf('\n\n', section.indexOf('\n|') + 1));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]!.trim().replace(/`/g, ''));
}

describe('docs/CONTRACT.md', () => {
  it('lists the fields of a check in --json output, in order', () => {
    const result = { id: 'c', system: 's', kind: 'http', status: 'ok', value: 1, metrics: {}, message: 'm', durationMs: 1, at: 'now' } as unknown as CheckResult;
    expect(fieldsUnder('### A check')).toEqual(Object.keys(toJson(result)));
  });

  it('lists the fields of an alert, in order', () => {
    expect(fieldsUnder('### An alert')).toEqual([...ALERT_JSON_FIELDS]);
  });

  it('documents every exit code', () => {
    const section = CONTRACT.slice(CONTRACT.indexOf('## Exit codes'), CONTRACT.indexOf('By command:'));
    const documented = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(expect.arrayContaining(Object.values(EXIT)));
  });

  it('documents every route of imos serve', async () => {
    const { startServer } = await import('../../src/server/server.js');
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const { notifyConfig } = await import('../helpers/notify-fixtures.js');
    const { systemClock } = await import('../../src/time/clock.js');
    const server = await startServer({ store: new MemoryStore(), config: notifyConfig(), clock: systemClock, host: '127.0.0.1', port: 0 });
    await server.close();
    const section = CONTRACT.slice(CONTRACT.indexOf('## HTTP'), CONTRACT.indexOf('## Exit codes'));
    const documented = [...section.matchAll(/`((?:GET|POST) \/[^`]*)`/g)].map((m) => m[1]!.replace(/<[^>]+>.*$/, '*'));
    expect(server.routes.length).toBeGreaterThan(10);
    expect(server.routes.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('keeps the store layout in its own delimited section', () => {
    expect(CONTRACT).toMatch(/<!-- store-layout:begin -->\n## Store layout[\s\S]*<!-- store-layout:end -->/);
  });
});

describe('the project cites its own docs', () => {
  it('no source, test, script or doc names a document outside the repository (the contract is docs/CONTRACT.md)', () => {
    const root = new URL('../..', import.meta.url).pathname;
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx|mjs|js|md|css|ya?ml)$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const all = [...['src', 'views', 'web', 'checks', 'test', 'scripts', 'docs', 'bin'].flatMap(files), 'README.md'];
    expect(all.length).toBeGreaterThan(100);
    // Spelled in pieces, so this file does not name them itself.
    const outside = new RegExp(['DESIGN\\.md', '\\.\\./shared/', '\\bthe brief\\b'].join('|'), 'i');
    const citing = all.filter((file) => outside.test(readFileSync(join(root, file), 'utf8'))).map((file) => relative(root, join(root, file)));
    expect(citing).toEqual([]);
  });
});
