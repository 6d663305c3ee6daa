// The actions the console's views call. Each returns a short message for the status bar or
// throws an Error whose message is shown there; the rules live in the modules behind them
// (src/alerts/actions, src/plan/standups, src/engine/control).
import type { FieldErrors, StandupDraft } from './standup-form.js';

export interface ConsoleActions {
  acknowledge(id: string, note: string | null): Promise<string>;
  unacknowledge(id: string): Promise<string>;
  /** `duration`: 30m, 2h, or an ISO time. */
  snooze(id: string, duration: string): Promise<string>;
  /** Field errors for a draft (empty: valid). */
  validateStandup(draft: StandupDraft): FieldErrors;
  saveStandup(draft: StandupDraft): Promise<string>;
  setPaused(paused: boolean): Promise<string>;
  /** Set one status in the matrix file (`:set ITEM STATUS`), as `imos matrix set` does. */
  setMatrixStatus(item: string, status: string): Promise<string>;
  runNow(): Promise<string>;
}

/** Raised by saveStandup when the draft is invalid: the form shows the field errors. */
export class StandupInvalidError extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? 'the standup is not valid');
    this.name = 'StandupInvalidError';
  }
}
