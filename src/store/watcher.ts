// Tells listeners when a section file changed (usually another process's write). fs.watch on the
// directory reports at once where it works; a slow stat poll covers the filesystems where it does
// not (network mounts, containers). Both only wake a stat comparison, so nothing fires twice.
import fs from 'node:fs';
import path from 'node:path';
import { statSignature } from './atomic-file.js';
import type { WatchedName } from './types.js';

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
  private readonly byBaseName = new Map<string, string>();
  private readonly names = new Map<string, WatchedName>();
  private readonly seen = new Map<string, string | null>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly dir: string;
  private dirWatcher: fs.FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private closed = false;

  /** `files`: every watched file (all in one directory) with the name reported for it. */
  constructor(
    files: Array<[WatchedName, string]>,
    private readonly onChange: (name: WatchedName) => void,
    private readonly options: WatchOptions = DEFAULT_WATCH_OPTIONS,
  ) {
    this.dir = path.dirname(files[0]![1]);
    for (const [name, file] of files) {
      this.byBaseName.set(path.basename(file), file);
      this.names.set(file, name);
      this.seen.set(file, signatureOf(file));
    }
    this.attachDirWatcher();
    this.poller = setInterval(() => this.poll(), options.pollMs);
    this.poller.unref();
  }

  private attachDirWatcher(): void {
    if (this.dirWatcher || this.closed || !this.options.fsWatch) return;
    try {
      const watcher = fs.watch(this.dir, { persistent: false }, (_event, filename) => {
        const file = filename ? this.byBaseName.get(filename.toString()) : undefined;
        if (file) this.schedule(file);
        else if (!filename) for (const each of this.names.keys()) this.schedule(each);
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

  private schedule(file: string): void {
    if (this.closed || this.pending.has(file)) return;
    const timer = setTimeout(() => {
      this.pending.delete(file);
      this.compare(file);
    }, this.options.debounceMs);
    timer.unref();
    this.pending.set(file, timer);
  }

  private compare(file: string): void {
    if (this.closed) return;
    const now = signatureOf(file);
    if (now === this.seen.get(file)) return;
    this.seen.set(file, now);
    try {
      this.onChange(this.names.get(file)!);
    } catch {
      // A listener's failure must not stop the watch for the others.
    }
  }

  private poll(): void {
    this.attachDirWatcher();
    for (const file of this.names.keys()) this.compare(file);
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
