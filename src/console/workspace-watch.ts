// A console outlives nothing it depends on: when its configuration file or its store's directory
// disappears (the workspace deleted, the demo that made it ended), the console is told once, so
// that it stops its poller and says so, instead of polling a deleted workspace back into being.
import { existsSync, statSync } from 'node:fs';
import { storePaths } from '../store/paths.js';

export interface WorkspacePaths {
  configFile: string;
  /** The JSON store's directory; null for a PostgreSQL store (nothing on disk to lose). */
  storeDir: string | null;
}

export function workspacePaths(configFile: string, store: string): WorkspacePaths {
  return { configFile, storeDir: /^postgres(ql)?:\/\//.test(store) ? null : storePaths(store).dir };
}

const isDir = (dir: string): boolean => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** What is gone, in a sentence; null while everything is there. */
export function workspaceGone(paths: WorkspacePaths): string | null {
  if (paths.storeDir !== null && !isDir(paths.storeDir)) return `the workspace is gone: ${paths.storeDir} was removed (did the demo end?)`;
  if (!existsSync(paths.configFile)) return `the workspace is gone: ${paths.configFile} was removed (did the demo end?)`;
  return null;
}

/**
 * Look every `everyMs` (bounded: a stat or two); call `onGone` once with the reason, then stop.
 * A store directory that is not there at the start is not "gone" (a fresh store makes it).
 */
export function watchWorkspace(paths: WorkspacePaths, onGone: (reason: string) => void, everyMs = 500): () => void {
  const watched: WorkspacePaths = { configFile: paths.configFile, storeDir: paths.storeDir && isDir(paths.storeDir) ? paths.storeDir : null };
  let storeDirPending = paths.storeDir !== null && watched.storeDir === null;
  const timer = setInterval(() => {
    // A fresh store's directory counts from the moment it exists.
    if (storeDirPending && paths.storeDir && isDir(paths.storeDir)) {
      watched.storeDir = paths.storeDir;
      storeDirPending = false;
    }
    const reason = workspaceGone(watched);
    if (reason) {
      clearInterval(timer);
      onGone(reason);
    }
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
