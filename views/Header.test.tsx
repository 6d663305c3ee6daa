import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { consoleScreens, lines, SIZES } from './testing/console.js';
import { fitHeader } from './Header.js';

const screens = consoleScreens();

describe('the header says who acts', () => {
  for (const [columns, rows] of SIZES) {
    it(`as a person of the config (${columns}×${rows})`, async () => {
      const { r } = await screens.open({ actor: 'suno' }, columns, rows);
      const top = lines(r.frame())[0]!;
      expect(top).toContain('as suno');
      expect(top).not.toContain('not in people');
      expect(stringWidth(top)).toBeLessThanOrEqual(columns);
    });

    it(`flags a name that is not in people (${columns}×${rows})`, async () => {
      const { r } = await screens.open({ actor: 'root' }, columns, rows);
      const top = lines(r.frame())[0]!;
      expect(top).toMatch(/as root ⚠ not in people \d\d:\d\d:\d\d$/);
      expect(stringWidth(top)).toBeLessThanOrEqual(columns);
    });
  }

  it('gives up the last poll, then the project name, then the poller before "as NAME"', () => {
    const parts = {
      project: 'Hotel integration',
      alarm: '',
      holder: 'poller: console operator@build-host-17 pid 123456',
      lastPoll: 'last poll 12s ago',
      mode: 'as luna',
      flag: '',
    };
    const total = (f: ReturnType<typeof fitHeader>) => stringWidth(f.left) + 2 + stringWidth(f.muted + f.mode + f.flag) + 9;
    expect(fitHeader(200, parts)).toEqual({ left: 'imos · Hotel integration', muted: 'poller: console operator@build-host-17 pid 123456 · last poll 12s ago · ', mode: 'as luna', flag: '' });
    const at80 = fitHeader(80, parts);
    expect(at80).toMatchObject({ muted: 'poller: console operator@build-host-17 pid 123456 · ', mode: 'as luna', flag: '' });
    expect(at80.left).toMatch(/^imos · Ho.*…$/);
    expect(total(at80)).toBeLessThanOrEqual(80);
    const long = { ...parts, mode: 'as a-rather-long-name', flag: '⚠ not in people' };
    const flagged = fitHeader(80, long);
    expect(flagged.muted).toBe('');
    expect(flagged.mode + flagged.flag).toBe('as a-rather-long-name ⚠ not in people');
    expect(total(flagged)).toBeLessThanOrEqual(80);
    const at50 = fitHeader(50, long);
    expect(at50.mode + at50.flag).toBe('as a-rather-long-name ⚠ not in people');
    expect(total(at50)).toBeLessThanOrEqual(50);
    for (const width of [40, 60, 70, 90, 100, 120]) expect(total(fitHeader(width, long))).toBeLessThanOrEqual(width);
  });
});
