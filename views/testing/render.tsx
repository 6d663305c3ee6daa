// Rendering the console in tests at a real terminal size, and pressing keys one by one inside
// act() (see STACK-NOTES: keys arriving before the handler re-attaches would see stale state).
import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { act, type ReactElement } from 'react';
import stripAnsi from 'strip-ansi';
import { HANG_MS } from '../../test/helpers/bounds.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export class TestStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame(): string {
    return this.frames[this.frames.length - 1] ?? '';
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class TestStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
}

export interface Rendered {
  stdout: TestStdout;
  stdin: TestStdin;
  /** The last frame without colour codes. */
  frame(): string;
  /** Press keys one by one, each inside act(). */
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  /** Wait until the frame contains `text` (bounded). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  settle(): Promise<void>;
  unmount(): Promise<void>;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function renderAt(tree: ReactElement, columns: number, rows: number, options: { stdinTTY?: boolean } = {}): Promise<Rendered> {
  const stdout = new TestStdout(columns, rows);
  const stdin = new TestStdin();
  stdin.isTTY = options.stdinTTY ?? true;
  let instance!: ReturnType<typeof inkRender>;
  await act(async () => {
    instance = inkRender(tree, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: new TestStdout(columns, rows) as unknown as NodeJS.WriteStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await tick();
  });
  const frame = () => stripAnsi(stdout.lastFrame());
  const settle = async () => {
    await act(async () => {
      await tick();
      await tick();
    });
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      await act(async () => {
        stdin.write(k);
        await tick();
      });
      // A lone Escape is held until the next macrotask.
      if (k === '\u001B') await settle();
    }
    await settle();
  };
  return {
    stdout,
    stdin,
    frame,
    press,
    type: async (text: string) => press(...[...text]),
    settle,
    waitFor: async (text, timeoutMs = HANG_MS) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
        if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${f}`);
        await settle();
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    unmount: async () => {
      await act(async () => {
        instance.unmount();
        await tick();
      });
      instance.cleanup();
    },
  };
}

export const KEY = {
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  backspace: '\u007F',
  ctrlS: '\u0013',
} as const;
