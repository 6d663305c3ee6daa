// An action's arguments: `{name}` inside an argv element, values only from the declared choices or
// matching a whole-value pattern. The rule is the whole check: values never reach a shell.
import type { ActionArg } from '../config/types.js';

const PLACEHOLDER = /\{([A-Za-z0-9][A-Za-z0-9_.-]*)\}/g;

/** The argument names an argv element refers to. */
export function placeholders(element: string): string[] {
  return [...element.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The element with its `{name}`s replaced by the values. */
export function fillPlaceholders(element: string, values: Readonly<Record<string, string>>): string {
  return element.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Longest argument value taken (a value is one argv element, not a document). */
export const MAX_ARG_LENGTH = 200;

/** Why `value` is not allowed for `arg`, or null. */
export function argProblem(arg: ActionArg, value: string): string | null {
  if (value.length > MAX_ARG_LENGTH) return `the value of ${arg.name} is longer than ${MAX_ARG_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(value)) return `the value of ${arg.name} contains control characters`;
  if (arg.choices) return arg.choices.includes(value) ? null : `${arg.name} must be one of ${arg.choices.join(', ')} (got "${value}")`;
  if (arg.pattern && !new RegExp(`^(?:${arg.pattern})$`).test(value)) return `${arg.name} must match /${arg.pattern}/ (got "${value}")`;
  return null;
}
