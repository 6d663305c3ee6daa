export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A parsed condition: `<metric> <op> <value>`, with the value already in the metric's unit. */
export interface Condition {
  source: string;
  /** Dotted path: `status`, `body.status`, `body.items.length`. */
  metric: string;
  op: Operator;
  value: number | string | boolean | null;
}

export interface ConditionResult {
  holds: boolean;
  /** The value the metric had (undefined when missing). */
  actual: unknown;
}
