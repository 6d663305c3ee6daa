// The dashboard's live feed on the server: it follows the store (views/model/follow.ts) like a
// console does, derives the view model with the console's builder, draws the sections, and tells
// every open page what changed — only the sections whose HTML differs, within a moment of the
// store's change. A heartbeat redraws every few seconds (ages and countdowns move on) and proves
// to the pages that the stream is alive.
import type { ImosConfig } from '../src/config/types.js';
import type { Store } from '../src/store/types.js';
import type { PlanLoader } from '../views/model/data.js';
import { StoreFollower } from '../views/model/follow.js';
import { loadPlanSummary } from '../views/model/plan.js';
import { createViewModel, type ViewModel, type ViewSelection } from '../views/model/view-model.js';
import { pageTitle, renderSections, SECTION_IDS, type DashboardView, type SectionId } from './sections.js';

/** One message of the event stream (docs/CONTRACT.md: `GET /dashboard/events`). */
export interface DashboardEvent {
  /** When the sections were drawn (ISO). */
  at: string;
  /** Grows with every message of this server. */
  version: number;
  /** The browser tab's title. */
  title: string;
  /** The sections whose HTML changed since the previous message (all of them in a stream's first). */
  sections: Partial<Record<SectionId, string>>;
}

export interface DashboardFeedOptions {
  store: Store;
  config: ImosConfig;
  now?: () => number;
  /** Redraw and send at least this often. */
  heartbeatMs?: number;
  loadPlan?: PlanLoader | null;
  /** The incident history's archive and notes are re-read at most this often. */
  incidentsEveryMs?: number;
}

const NO_SELECTION: ViewSelection = { filters: {}, detailSystem: null, alertDetail: null };
export const HEARTBEAT_MS = 5000;

export interface DashboardState {
  view: DashboardView;
  sections: Record<SectionId, string>;
  at: string;
  version: number;
}

export class DashboardFeed {
  private readonly follower: StoreFollower;
  private readonly build = createViewModel();
  private readonly now: () => number;
  private readonly listeners = new Set<(event: DashboardEvent) => void>();
  private state: DashboardState;
  private problem: string | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private firstData: Promise<void>;
  private markReady: () => void = () => {};
  private started = false;

  constructor(private readonly options: DashboardFeedOptions) {
    this.now = options.now ?? Date.now;
    this.follower = new StoreFollower(options.store, options.config, {
      now: this.now,
      loadPlan: options.loadPlan === null ? undefined : (options.loadPlan ?? loadPlanSummary),
      incidentsEveryMs: options.incidentsEveryMs ?? 5000,
    });
    this.firstData = new Promise((resolve) => (this.markReady = resolve));
    this.state = this.draw(0);
    this.follower.onUpdate((_data, problem) => {
      this.problem = problem;
      this.publish(false);
      this.markReady();
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.follower.start();
    // Only open pages need the heartbeat; a page asked for without one is drawn fresh (current()).
    this.heartbeat = setInterval(() => this.listeners.size > 0 && this.publish(true), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref?.();
  }

  /** Resolves once the store was read (or could not be), at most after `timeoutMs`. */
  async ready(timeoutMs = 5000): Promise<void> {
    this.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.firstData, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** The page as it stands now (ages and countdowns as of now). */
  current(): DashboardState {
    if (this.listeners.size === 0) this.publish(true);
    return this.state;
  }

  get viewModel(): ViewModel {
    return this.state.view.vm;
  }

  /** Every message from now on; the first one, at once, carries every section. */
  subscribe(listener: (event: DashboardEvent) => void): () => void {
    this.start();
    this.listeners.add(listener);
    const { at, version, sections, view } = this.state;
    listener({ at, version, title: pageTitle(view), sections: { ...sections } });
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private draw(version: number): DashboardState {
    const { config } = this.options;
    const nowMs = this.now();
    const vm = this.build(config, this.follower.data, NO_SELECTION, nowMs);
    const view: DashboardView = { project: config.project, timezone: config.timezone, vm, problem: this.problem, root: '' };
    return { view, sections: renderSections(view), at: new Date(nowMs).toISOString(), version };
  }

  /** Redraw; tell the pages what changed (a heartbeat tells them even when nothing did). */
  private publish(heartbeat: boolean): void {
    const previous = this.state;
    const next = this.draw(previous.version + 1);
    const changed: Partial<Record<SectionId, string>> = {};
    for (const id of SECTION_IDS) if (next.sections[id] !== previous.sections[id]) changed[id] = next.sections[id];
    if (!heartbeat && Object.keys(changed).length === 0) return;
    this.state = next;
    const event: DashboardEvent = { at: next.at, version: next.version, title: pageTitle(next.view), sections: changed };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One page's broken connection must not keep the others from their update.
      }
    }
  }

  /** Reload everything now (tests; after this process's own change). */
  refresh(): Promise<void> {
    this.follower.refresh();
    return this.follower.settled();
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.follower.stop();
    this.listeners.clear();
    this.markReady();
  }
}
