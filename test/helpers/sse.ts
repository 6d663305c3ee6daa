// A Server-Sent Events client for tests: reads `event:` / `data:` blocks off a real HTTP stream and
// lets a test wait, with a bound, for the first message that satisfies it.
import { HANG_MS } from './bounds.js';

export interface SseMessage {
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  /** Resolves with the first message (already received or coming) that `test` accepts. */
  next(test: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length) messages.push({ event, data: data.join('\n') });
          for (const wake of [...waiters]) wake();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      for (const wake of [...waiters]) wake();
    }
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    status: res.status,
    headers: res.headers,
    messages,
    ended,
    close: () => abort.abort(),
    async next(test, timeoutMs = HANG_MS) {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        for (; seen < messages.length; seen++) if (test(messages[seen]!)) return messages[seen]!;
        if (done) throw new Error(`the stream ended before the message came (${messages.length} messages)`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms (${messages.length} messages)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(wake, left);
          function wake() {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          }
          waiters.add(wake);
        });
      }
    },
  };
}
