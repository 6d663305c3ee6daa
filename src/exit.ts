// Exit codes and the one error type that carries one: shared by the commands and by the modules
// they call (the config loader exits 78 on a bad file). A leaf: it imports nothing.
// The codes are part of the contract (docs/CONTRACT.md, "Exit codes").

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, high: 1, critical: 2, usage: 64, unavailable: 69, config: 78, readerGone: 141 } as const;

/** A failure with a message for the user and an exit code; printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
