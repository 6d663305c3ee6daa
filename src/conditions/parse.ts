// The one condition language of imos: `<metric> <op> <value>`.
//   ops: == != < <= > >=   values: numbers, durations (500ms 5s 10m 24h 2d), percentages (80%),
//   'text' or "text", true, false, null.
// Parsed once when the configuration loads; errors point at the offending character.
import type { MetricSpec } from '../../checks/types.js';
import type { Condition, Operator } from './types.js';

export class ConditionError extends Error {
  constructor(
    readonly reason: string,
    readonly source: string,
    /** 1-based column in `source`. */
    readonly column: number,
  ) {
    super(`${reason} at column ${column} of "${source}"`);
    this.name = 'ConditionError';
  }
}

const OPERATORS: Operator[] = ['==', '!=', '<=', '>=', '<', '>'];
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse `source` against the metrics a check kind declares. */
export function parseCondition(source: string, metrics: Record<string, MetricSpec>): Condition {
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    throw new ConditionError(reason, source, at + 1);
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };

  skipSpace();
  const pathMatch = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*/.exec(source.slice(pos));
  if (!pathMatch) fail('expected a metric name');
  const metricStart = pos;
  const metric = pathMatch![0];
  pos += metric.length;
  const [head, ...rest] = metric.split('.');
  const spec = metrics[head!];
  if (!spec) {
    const known = Object.keys(metrics).join(', ') || '(none)';
    fail(`unknown metric "${head}" (known: ${known})`, metricStart);
  }
  if (rest.length > 0 && spec!.unit !== 'object' && !(rest.length === 1 && rest[0] === 'length')) {
    fail(`metric "${head}" has no field "${rest.join('.')}"`, metricStart + head!.length + 1);
  }

  skipSpace();
  const op = OPERATORS.find((o) => source.startsWith(o, pos));
  if (!op) fail(`expected an operator (${OPERATORS.join(' ')})`);
  pos += op!.length;
  skipSpace();

  const valueStart = pos;
  const text = source.slice(pos).trimEnd();
  if (text === '') fail('expected a value');
  const unit = rest.length > 0 ? (rest[rest.length - 1] === 'length' ? 'count' : 'object') : spec!.unit;
  let value: Condition['value'];
  let consumed = text.length;
  const quoted = /^(['"])(.*?)\1/.exec(text);
  const numeric = /^(-?\d+(?:\.\d+)?)(ms|s|m|h|d|%)?/.exec(text);
  if (quoted) {
    value = quoted[2]!;
    consumed = quoted[0].length;
  } else if (/^(true|false|null)\b/.test(text)) {
    const word = /^(true|false|null)/.exec(text)![0];
    value = word === 'null' ? null : word === 'true';
    consumed = word.length;
  } else if (numeric) {
    consumed = numeric[0].length;
    const n = Number(numeric[1]);
    const suffix = numeric[2];
    if (suffix === '%') {
      if (unit !== 'percent' && unit !== 'object') fail(`"${head}" is not a percentage; write a plain number`, valueStart);
      value = n;
    } else if (suffix) {
      const ms = n * DURATION_MS[suffix]!;
      if (unit === 'ms') value = ms;
      else if (unit === 's') value = ms / 1000;
      else if (unit === 'object') value = ms / 1000;
      else fail(`"${head}" is not a duration; write a plain number`, valueStart);
    } else {
      value = n;
    }
  } else {
    fail("expected a number, a duration (5s), a percentage (80%), 'text', true, false or null", valueStart);
  }
  pos = valueStart + consumed;
  skipSpace();
  if (pos < source.length) fail(`unexpected "${source.slice(pos)}"`);
  return { source, metric, op: op!, value: value! };
}
