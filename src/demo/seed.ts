// A week of history for the demo's store, so the timeline, `imos today` and the reports have
// something to show: the past weekdays' standups (through the same rules as `imos standup add`,
// blockers carried and resolved) and a completion curve that climbs to today's matrix figures.
import type { ImosConfig } from '../config/types.js';
import type { CompletionSnapshot } from '../model.js';
import { applyStandup, type StandupDraft } from '../plan/standups.js';
import type { CoreDraft } from '../store/core-draft.js';

const DAY = 86_400_000;

interface DayScript {
  /** Weekdays before today (1 = the last working day). */
  daysAgo: number;
  drafts: StandupDraft[];
}

// Oldest first, so blockers open, carry over and resolve in order.
const WEEK: DayScript[] = [
  {
    daysAgo: 5,
    drafts: [
      { system: 'hotel-common', done: 'Unified schema agreed (T1)', next: 'Apply the first Prisma migrations' },
      { system: 'hotel-member', done: 'customers table mapped', next: 'customer_ranks, point_histories' },
      { system: 'hotel-pms', done: 'rooms / room_types mapped', next: 'reservations mapping' },
      { system: 'hotel-saas', done: 'menus mapped', next: 'service_orders design (T3)' },
    ],
  },
  {
    daysAgo: 4,
    drafts: [
      { system: 'hotel-common', done: 'Migrations 1-2 applied (T2)', next: 'Shared sync_state and outbox' },
      {
        system: 'hotel-member',
        done: 'point_histories migrated',
        next: 'prisma-client-py connection (T5)',
        blockers: [{ text: 'Read-only credentials for the unified DB', waitsOn: 'system:hotel-common' }],
      },
      { system: 'hotel-pms', done: 'reservations, guests migrated', next: 'Reservation sync job (T6)' },
      { system: 'hotel-saas', done: 'service_orders draft', next: 'Review with the PMS team' },
    ],
  },
  {
    daysAgo: 3,
    drafts: [
      { system: 'hotel-common', done: 'Credentials issued to hotel-member', next: 'Monitoring through imos' },
      { system: 'hotel-member', done: 'Connected with prisma-client-py', next: 'Member API health endpoint (T8)' },
      {
        system: 'hotel-pms',
        done: 'Sync job skeleton',
        next: 'Sync lag under 5 s',
        blockers: [{ text: 'PMS vendor API rate limit during the day', waitsOn: 'person:luna' }],
      },
      { system: 'hotel-saas', done: 'TypeScript errors down from 212 to 40', next: 'Fix the remaining errors (T11)' },
    ],
  },
  {
    daysAgo: 2,
    drafts: [
      { system: 'hotel-common', done: 'imos checks for every system', next: 'Escalation policy with the owner' },
      { system: 'hotel-member', done: 'Health endpoint in review', next: 'Point sync' },
      {
        system: 'hotel-pms',
        done: 'Night-time sync runs',
        next: 'Daytime sync within the rate limit',
        blockers: [{ text: 'PMS vendor API rate limit during the day', waitsOn: 'person:luna' }],
      },
      {
        system: 'hotel-saas',
        done: 'TypeScript errors down to 4',
        next: 'service_orders migration (T3)',
        blockers: [{ text: 'service_orders needs the final rooms key', waitsOn: 'system:hotel-pms' }],
      },
    ],
  },
  {
    daysAgo: 1,
    drafts: [
      { system: 'hotel-common', done: 'Escalation policy agreed', next: 'Weekly report to the owner' },
      { system: 'hotel-member', done: 'Point sync in staging', next: 'Point sync in production' },
      { system: 'hotel-pms', done: 'Rate limit raised by the vendor', next: 'Reservation sync in production' },
      {
        system: 'hotel-saas',
        done: 'order_items design',
        next: 'service_orders migration (T3)',
        blockers: [{ text: 'service_orders needs the final rooms key', waitsOn: 'system:hotel-pms' }],
      },
    ],
  },
];

// Today's entries so far (the others are "missing" until someone writes them).
const TODAY: StandupDraft[] = [
  { system: 'hotel-common', done: 'Weekly report sent', next: 'Phase 2 kick-off' },
  { system: 'hotel-member', done: 'Point sync in production', next: 'Member API latency' },
];

/** The last `count` weekdays before `nowMs` (oldest last), at 10:00 UTC. */
function previousWeekdays(nowMs: number, count: number): number[] {
  const out: number[] = [];
  let day = Math.floor(nowMs / DAY) * DAY + 10 * 3_600_000;
  for (let guard = 0; out.length < count && guard < 30; guard++) {
    day -= DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(day);
  }
  return out;
}

type SeedConfig = Pick<ImosConfig, 'systems' | 'people' | 'plan' | 'file' | 'timezone'>;

/** Pure (records on `core`): add the week's standups and today's first ones. */
export function seedStandups(core: CoreDraft, config: SeedConfig, nowMs: number): void {
  const days = previousWeekdays(nowMs, WEEK.length);
  for (const day of WEEK) {
    const at = days[day.daysAgo - 1]!;
    day.drafts.forEach((draft, i) => {
      if (!config.systems[draft.system]) return;
      const leader = config.systems[draft.system]!.leader ?? 'demo';
      applyStandup(core, draft, leader, at + i * 60_000, config);
    });
  }
  TODAY.forEach((draft, i) => {
    if (!config.systems[draft.system]) return;
    applyStandup(core, draft, config.systems[draft.system]!.leader ?? 'demo', nowMs - (TODAY.length - i) * 60_000, config);
  });
}

/** Completion points for the past week, climbing to the figures of `current` (today's). */
export function seedSnapshots(current: Omit<CompletionSnapshot, 'at'>, nowMs: number): CompletionSnapshot[] {
  const days = previousWeekdays(nowMs, 7).reverse();
  return days.map((at, i) => {
    const lag = days.length - i; // 7 … 1 days of progress still to come
    return {
      at: new Date(at).toISOString(),
      tablesDone: Math.max(0, current.tablesDone - Math.ceil(lag * 0.8)),
      tablesTotal: current.tablesTotal,
      systemsDone: lag > 3 ? Math.max(0, current.systemsDone - 1) : current.systemsDone,
      systemsTotal: current.systemsTotal,
      tasksDone: lag > 4 ? Math.max(0, current.tasksDone - 2) : lag > 2 ? Math.max(0, current.tasksDone - 1) : current.tasksDone,
      tasksTotal: current.tasksTotal,
    };
  });
}
