// "The start is over": the built CLI stores the code compiled so far as V8's code cache then
// (src/cli/entry.ts). The console says so right after its first full frame, before Ink loads; a
// command that ends is over at its exit.
export const STARTED_EVENT = 'imos:started';

export function startIsOver(): void {
  (process as NodeJS.EventEmitter).emit(STARTED_EVENT);
}
