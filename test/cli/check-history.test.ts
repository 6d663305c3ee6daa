// `imos check` runs once and ends: it appends its checks' history points without reading the history
// section (src/store/journal.ts, appendBlind), which after a month holds 600,000 points.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-check-history-'));
  const checks = ['a', 'b'].map((id) => `  - { id: ${id}, system: app, kind: command, run: [node, -e, "process.exit(0)"] }`);
  fs.writeFileSync(path.join(dir, 'imos.yaml'), ['project: History', 'systems:', '  app: { name: App }', 'store: ./state/imos.json', 'checks:', ...checks, ''].join('\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const imos = (args: string[]) => runImos([...args, '--config', path.join(dir, 'imos.yaml')], { cwd: dir });
const journal = () => path.join(dir, 'state', 'imos.history.jsonl');

describe('imos check and the history section', () => {
  it('adds its points without reading the history that is there', async () => {
    for (let run = 0; run < 2; run++) expect((await imos(['check', '--json'])).exitCode).toBe(0);
    const lines = fs.readFileSync(journal(), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { seq?: number }).seq ?? 'header')).toEqual(['header', 1, 2]);

    // The first change made unreadable: a command that read the section would stop at it.
    const broken = [lines[0], lines[1]!.replace('"append"', '"append":,'), lines[2]].join('\n') + '\n';
    fs.writeFileSync(journal(), broken);
    const only = await imos(['check', '--only', 'a', '--json']);
    expect(only.stderr).toBe('');
    expect(only.exitCode).toBe(0);
    const after = fs.readFileSync(journal(), 'utf8');
    expect(after.startsWith(broken)).toBe(true);
    const added = JSON.parse(after.slice(broken.length)) as { seq: number; append: Array<{ id: string }> };
    expect(added.seq).toBe(3);
    expect(added.append.map((a) => a.id)).toEqual(['a']);

    // A reader of the section says what is wrong with it, naming the file and line.
    const report = await imos(['report', 'daily']);
    expect(report.stderr).toMatch(/imos\.history\.jsonl line 2 is not valid JSON/);
  });
});
