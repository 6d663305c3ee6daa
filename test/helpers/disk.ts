// Disk trouble for tests: a directory on its own small tmpfs that can be made read-only or full.
// Tests run as root, where file modes stop no write: a read-only mount does. Where mounting is not
// allowed (no root, a locked-down container) the test asks `canMount()` and says what it skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Disk {
  dir: string;
  readOnly(): void;
  writable(): void;
  /** Fill what is left of the file system with one file (removed by `unfill`). */
  fill(): void;
  unfill(): void;
  remove(): void;
}

let mountable: boolean | null = null;

/** Whether this process may mount a tmpfs (tried once, on a throwaway directory). */
export function canMount(): boolean {
  if (mountable !== null) return mountable;
  const dir = mkdtempSync(join(tmpdir(), 'imos-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    mountable = true;
  } catch {
    mountable = false;
  }
  rmSync(dir, { recursive: true, force: true });
  return mountable;
}

/** A fresh directory on a tmpfs of `sizeKb`. */
export function mountDisk(sizeKb = 4096): Disk {
  const dir = mkdtempSync(join(tmpdir(), 'imos-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir]);
  const filler = join(dir, 'filler.bin');
  const remount = (mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, dir]);
  return {
    dir,
    readOnly: () => remount('ro'),
    writable: () => remount('rw'),
    fill: () => {
      // dd stops with "No space left on device": that is the point.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // full
      }
    },
    unfill: () => rmSync(filler, { force: true }),
    remove: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } catch {
        // not mounted any more
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
