import { describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';

describe('imos --help', () => {
  it('lists the console’s options (imos alone is the console)', async () => {
    const help = await runImos(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('The console (imos, or imos console) takes:');
    for (const flag of ['--readonly', '--wallboard', '--cycle <duration>', '--no-color']) expect(help.stdout).toContain(`  ${flag}`);
    expect(help.stdout).toMatch(/--cycle <duration>\s+wallboard: time per pane \(default 15s\)/);
  });
});
