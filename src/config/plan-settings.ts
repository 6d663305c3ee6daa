// The `plan:` section of imos.yaml: timeline thresholds, forecast basis, standup rules, working
// days, evidence-based matrix updates. Validated here (the loader keeps it raw) with errors that
// name the field.
import * as z from 'zod';
import { ConfigError } from './errors.js';
import { PARSE_ONCE } from './parse-once.js';
import type { ImosConfig } from './types.js';
import { parseClock, WEEKDAYS, type Weekday } from '../time/dates.js';

const percent = z.union([
  z.number().min(0).max(100),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*%$/, 'expected a percentage like "10%"')
    .transform((s) => Number(s.replace('%', '').trim()))
    .refine((n) => n <= 100, 'expected at most 100%'),
]);

const clock = z.string().refine((s) => parseClock(s) !== null, 'expected a time of day like "10:00"');
const weekday = z.enum(WEEKDAYS);

const PlanSchema = z
  .object({
    timeline: z
      .object({
        /** Completion behind elapsed time by more than this many points: At Risk. */
        at_risk: percent.default(10),
        /** … by more than this: Delayed. */
        delayed: percent.default(25),
      })
      .strict()
      .default({ at_risk: 10, delayed: 25 }),
    forecast: z
      .object({ min_points: z.number().int().min(2).max(1000).default(3) })
      .strict()
      .default({ min_points: 3 }),
    standup: z
      .object({
        due: clock.default('10:00'),
        max_length: z.number().int().min(10).max(20_000).default(2000),
        max_blockers: z.number().int().min(1).max(100).default(20),
      })
      .strict()
      .default({ due: '10:00', max_length: 2000, max_blockers: 20 }),
    working_days: z.array(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    /** A `tables` check that finds an item's table present marks the item done in the matrix. */
    auto_update: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.timeline.delayed < v.timeline.at_risk)
      ctx.addIssue({ code: 'custom', path: ['timeline', 'delayed'], message: 'must be at least timeline.at_risk' });
  });

export interface PlanSettings {
  timeline: { atRiskPoints: number; delayedPoints: number };
  forecastMinPoints: number;
  standup: { dueMinutes: number; due: string; maxLength: number; maxBlockers: number };
  workingDays: Weekday[];
  autoUpdate: boolean;
}

export const DEFAULT_PLAN_SETTINGS: PlanSettings = toSettings(PlanSchema.parse({}, PARSE_ONCE));

function toSettings(v: z.output<typeof PlanSchema>): PlanSettings {
  return {
    timeline: { atRiskPoints: v.timeline.at_risk, delayedPoints: v.timeline.delayed },
    forecastMinPoints: v.forecast.min_points,
    standup: {
      due: v.standup.due,
      dueMinutes: parseClock(v.standup.due)!,
      maxLength: v.standup.max_length,
      maxBlockers: v.standup.max_blockers,
    },
    workingDays: v.working_days,
    autoUpdate: v.auto_update,
  };
}

/** Validate a raw `plan:` mapping; throws ConfigError naming each bad field (`plan.standup.due`). */
export function parsePlanSettings(raw: unknown, file = 'imos.yaml'): PlanSettings {
  const result = PlanSchema.safeParse(raw ?? {}, PARSE_ONCE);
  if (result.success) return toSettings(result.data);
  throw new ConfigError(
    result.error.issues.map((i) => ({
      file,
      field: ['plan', ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  );
}

const cache = new WeakMap<object, PlanSettings>();

/** The plan settings of a loaded config (validated once per config object). */
export function planSettings(config: Pick<ImosConfig, 'plan' | 'file'>): PlanSettings {
  let s = cache.get(config);
  if (!s) {
    s = parsePlanSettings(config.plan, config.file);
    cache.set(config, s);
  }
  return s;
}
