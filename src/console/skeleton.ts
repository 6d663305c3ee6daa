// The console's first frame, drawn before the configuration, the store and Ink have loaded: the
// header with the project's name, and nothing where the panes will be. The panes come with the
// first full frame (src/console/first-frame.ts), at the sizes the console gives them: a frame of
// panes guessed now would jump when they come. It costs no import beyond the sanitiser.
import { closeSync, openSync, readSync } from 'node:fs';
import { sanitizeLine } from '../text/sanitize.js';

const ENTER = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE = '\u001b[?25h\u001b[?1049l';

/**
 * The `project:` of a configuration file, read without a YAML parser (best effort: a quoted or
 * plain scalar on one line; anything else, or a value built from the environment, gives null).
 */
export function projectNameOf(configFile: string): string | null {
  let text: string;
  try {
    // The first 64 KiB: `project:` sits near the top, and a huge file must not delay the frame.
    const fd = openSync(configFile, 'r');
    try {
      const head = Buffer.alloc(64 * 1024);
      text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const match = /^project:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(text);
  const value = match ? (match[1] ?? match[2] ?? match[3] ?? '').trim() : '';
  return value && !value.includes('${') ? sanitizeLine(value, 60) : null;
}

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width)) : text + ' '.repeat(width - text.length);
}

/** The skeleton frame for a terminal `columns` wide: the header alone. */
export function skeletonFrame(project: string, columns: number): string[] {
  const status = 'starting…';
  return [(fit(`imos · ${project}`, Math.max(0, columns - status.length)) + status).slice(0, columns)];
}

export interface Skeleton {
  /** Give the terminal back (when the console fails before its own screen takes over). */
  leave(): void;
}

/** Enter the alternate screen and draw the skeleton; the console's own screen takes over from it. */
export function drawSkeleton(stdout: NodeJS.WriteStream, project: string): Skeleton {
  const lines = skeletonFrame(project, stdout.columns || 80);
  stdout.write(ENTER + lines.join('\r\n'));
  let left = false;
  return {
    leave() {
      if (left) return;
      left = true;
      stdout.write(LEAVE);
    },
  };
}
