export type { Condition, ConditionResult, Operator } from './types.js';
export { parseCondition, ConditionError } from './parse.js';
export { evaluateCondition, readMetric, describeCondition } from './evaluate.js';
