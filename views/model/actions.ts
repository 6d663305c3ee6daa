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
  /**
   * A playbook action of the alert, checked (who may run it, its arguments) but not run: what the
   * confirmation shows. Throws with the reason (the rule) when it may not run.
   */
  prepareAction(alertId: string, actionId: string, args?: Record<string, string>): Promise<PreparedAction>;
  /** Run it (one run at a time across every process on the store); output arrives sanitised. */
  runAction(alertId: string, actionId: string, onOutput: (text: string) => void, args?: Record<string, string>): Promise<string>;
  /** The ids of the actions this console is running now. */
  runningActions(): string[];
  /** Stop every run this console started and wait until each is recorded (on quit); how many were stopped. */
  stopActions(): Promise<number>;
}

/** What the console asks about before an action runs. */
export interface PreparedAction {
  alertId: string;
  actionId: string;
  title: string;
  /** The exact command (argv written out). */
  command: string;
  cwd: string;
  /** The phrase to type, or null when a yes is enough. */
  confirm: string | null;
  /** The argument values it runs with. */
  args: Record<string, string>;
  /** The arguments with a list of values, which the confirmation can switch (Tab picks one, ←/→ its value). */
  choices: Array<{ name: string; values: string[] }>;
}

/** Raised by saveStandup when the draft is invalid: the form shows the field errors. */
export class StandupInvalidError extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? 'the standup is not valid');
    this.name = 'StandupInvalidError';
  }
}
