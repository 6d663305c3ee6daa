import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectNameOf, skeletonFrame } from './skeleton.js';
import { CLI_HANG_MS } from '../../test/helpers/bounds.js';

function withConfig(text: string, test: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-skeleton-'));
  try {
    fs.writeFileSync(path.join(dir, 'imos.yaml'), text);
    test(path.join(dir, 'imos.yaml'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the console skeleton (first frame)', () => {
  it.each([
    ['project: Hotel integration\n', 'Hotel integration'],
    ['# c\nproject: "Hotel: phase 2"  # note\n', 'Hotel: phase 2'],
    ["project: 'ホテル統合'\n", 'ホテル統合'],
    ['project: ${NAME}\n', null],
    ['project: "\u001b]0;evil\u0007Hotel"\n', 'Hotel'],
    ['systems: {}\n', null],
  ])('reads the project name of %j', (text, expected) => {
    withConfig(text, (file) => expect(projectNameOf(file)).toBe(expected));
  });

  it('has no name for a missing file', () => {
    expect(projectNameOf('/nonexistent/imos.yaml')).toBeNull();
  });

  it('draws the header alone: no guessed panes that would jump when the console’s come', () => {
    expect(skeletonFrame('Hotel integration', 160)).toEqual([`imos · Hotel integration${' '.repeat(127)}starting…`]);
    expect(skeletonFrame('Hotel integration', 80)[0]).toHaveLength(80);
  });

  it('gives the terminal back when the console cannot start (an invalid configuration)', () => {
    if (spawnSync('script', ['--version']).status !== 0) return;
    withConfig('project: Broken\nsystems: { a: { name: A } }\nchecks:\n  - { id: c, system: a, kind: nope }\n', (file) => {
      const bin = path.resolve(import.meta.dirname, '../../bin/imos.js');
      const env = { ...process.env };
      delete env.CI;
      const run = spawnSync('script', ['-qfec', `${process.execPath} ${bin} --config ${file}`, '/dev/null'], { env, encoding: 'utf8', timeout: CLI_HANG_MS });
      const out = run.stdout;
      const enter = out.indexOf('\u001b[?1049h');
      const leave = out.indexOf('\u001b[?1049l');
      expect(enter).toBeGreaterThanOrEqual(0);
      expect(out.indexOf('Broken')).toBeGreaterThan(enter); // the skeleton was drawn
      expect(leave).toBeGreaterThan(enter);
      expect(out.indexOf('unknown check kind "nope"')).toBeGreaterThan(leave); // the error on the normal screen
    });
  });
});
