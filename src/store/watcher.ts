// Tells listeners when a section file changed (usually another process's write). fs.watch on the
// directory reports at once where it works; a slow stat poll covers the filesystems where it does
// not (network mounts, containers). Both only wake a stat comparison, so nothing fires twice.
import fs from 'node:fs';
import path from 'node:path';
import { statSignature } from './atomic-file.js';
import type { StorePaths } from './paths.js';
import type { SectionName } from './types.js';

export type WatchedName = SectionName | 'audit';

export interface WatchOptions {
  /** Stat every file this often, whatever fs.watch says. */
  pollMs: number;
  /** Wait this long after an fs.watch event before looking (writes come in bursts). */
  debounceMs: number;
  /** Use fs.watch as well as polling (off: polling only, as on filesystems without events). */
  fsWatch: boolean;
}

export const DEFAULT_WATCH_OPTIONS: WatchOptions = { pollMs: 400, debounceMs: 40, fsWatch: true };

function signatureOf(file: string): string | null {
  try {
    return statSignature(fs.statSync(file, { bigint: true }));
  } catch {
    return null;
  }
}

export class StoreWatcher {
  private readonly files: Map<WatchedName, string>;
  private readonly byBaseName = new Map<string, WatchedName>();
  private readonly seen = new Map<WatchedName, string | null>();
  private readonly pending = new Map<WatchedName, NodeJS.Timeout>();
  private dirWatcher: fs.FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly paths: StorePaths,
    private readonly onChange: (name: WatchedName) => void,
    private readonly options: WatchOptions = DEFAULT_WATCH_OPTIONS,
  ) {
    this.files = new Map<WatchedName, string>([
      ...(Object.entries(paths.sections) as Array<[SectionName, string]>),
      ['audit', paths.audit],
    ]);
    for (const [name, file] of this.files) {
      this.byBaseName.set(path.basename(file), name);
      this.seen.set(name, signatureOf(file));
    }
    this.attachDirWatcher();
    this.poller = setInterval(() => this.poll(), options.pollMs);
    this.poller.unref();
  }

  private attachDirWatcher(): void {
    if (this.dirWatcher || this.closed || !this.options.fsWatch) return;
    try {
      const watcher = fs.watch(this.paths.dir, { persistent: false }, (_event, filename) => {
        const name = filename ? this.byBaseName.get(filename.toString()) : undefined;
        if (name) this.schedule(name);
        else if (!filename) for (const each of this.files.keys()) this.schedule(each);
      });
      watcher.on('error', () => {
        // inotify limits, a removed directory: polling carries on alone and re-attaches later.
        watcher.close();
        if (this.dirWatcher === watcher) this.dirWatcher = null;
      });
      this.dirWatcher = watcher;
    } catch {
      this.dirWatcher = null; // the directory does not exist yet; the poll retries
    }
  }

  private schedule(name: WatchedName): void {
    if (this.closed || this.pending.has(name)) return;
    const timer = setTimeout(() => {
      this.pending.delete(name);
      this.compare(name);
    }, this.options.debounceMs);
    timer.unref();
    this.pending.set(name, timer);
  }

  private compare(name: WatchedName): void {
    if (this.closed) return;
    const now = signatureOf(this.files.get(name)!);
    if (now === this.seen.get(name)) return;
    this.seen.set(name, now);
    try {
      this.onChange(name);
    } catch {
      // A listener's failure must not stop the watch for the others.
    }
  }

  private poll(): void {
    this.attachDirWatcher();
    for (const name of this.files.keys()) this.compare(name);
  }

  close(): void {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.dirWatcher?.close();
    this.dirWatcher = null;
  }
}
