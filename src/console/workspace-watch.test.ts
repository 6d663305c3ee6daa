import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchWorkspace, workspaceGone, workspacePaths } from './workspace-watch.js';
import { HANG_MS } from '../../test/helpers/bounds.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'imos-ws-watch-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'imos.yaml'), 'project: x\n');
  mkdirSync(path.join(dir, '.imos'));
  return { dir, paths: workspacePaths(path.join(dir, 'imos.yaml'), path.join(dir, '.imos/imos.json')) };
}

const gone = (paths: ReturnType<typeof workspacePaths>, everyMs: number) =>
  new Promise<string>((resolve, reject) => {
    const stop = watchWorkspace(paths, resolve, everyMs);
    setTimeout(() => (stop(), reject(new Error('not reported'))), HANG_MS).unref();
  });

describe('the workspace under a console', () => {
  it('is there, then gone when its store directory is removed', async () => {
    const { dir, paths } = workspace();
    expect(workspaceGone(paths)).toBeNull();
    const reported = gone(paths, 20);
    rmSync(dir, { recursive: true, force: true });
    expect(await reported).toBe(`the workspace is gone: ${path.join(dir, '.imos')} was removed (did the demo end?)`);
  });

  it('is gone when its configuration file is removed', async () => {
    const { dir, paths } = workspace();
    const reported = gone(paths, 20);
    rmSync(path.join(dir, 'imos.yaml'));
    expect(await reported).toContain(`${path.join(dir, 'imos.yaml')} was removed`);
  });

  it('a fresh store without its directory yet is not gone; a PostgreSQL store has no directory', () => {
    const { dir } = workspace();
    rmSync(path.join(dir, '.imos'), { recursive: true });
    let reported: string | null = null;
    const stop = watchWorkspace(workspacePaths(path.join(dir, 'imos.yaml'), path.join(dir, '.imos/imos.json')), (r) => (reported = r), 10);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        stop();
        expect(reported).toBeNull();
        expect(workspacePaths('/x/imos.yaml', 'postgres://u@127.0.0.1/db').storeDir).toBeNull();
        resolve();
      }, 100),
    );
  });
});
