// The console's container: owns the data hook, the UI state and the one key router, derives the
// view models (memoised on the store sections), and publishes them to the panes as two contexts:
// state in (useUIState), actions out (useUIActions).
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImosConfig } from '../src/config/types.js';
import type { Store } from '../src/store/types.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { StandupInvalidError, type ConsoleActions } from './model/actions.js';
import type { PlanLoader } from './model/data.js';
import type { StoreFollower } from './model/follow.js';
import { newStandupForm, setFormErrors, todaysDrafts, todaysOwners, type StandupFormState } from './model/standup-form.js';
import { dayIn } from './model/format.js';
import { createViewModel, type ViewModel } from './model/view-model.js';
import { UIActionsContext, UIStateContext, useUIState, type UIActionsValue, type UIStateValue } from './context.js';
import { Pane } from './components/Pane.js';
import { Tone } from './components/Tone.js';
import { Footer, StatusLine } from './Footer.js';
import { Header } from './Header.js';
import { HelpScreen, helpLines, helpWindow } from './HelpScreen.js';
import { useConsoleData } from './hooks/use-console-data.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useAlertHistory } from './hooks/use-alert-history.js';
import { findAlert } from './model/alerts.js';
import type { AuditEntry } from '../src/model.js';
import { COMMANDS, type LineCommand } from './commands.js';
import { activeKeymap, splitKeys } from './keymap.js';
import { calculateLayout, paneBoxes, PANE_FRAME_ROWS, type Layout, type PaneBox } from './layout.js';
import type { PaneInput, PaneSize, PaneSpec } from './panes/pane.js';
import { PANES } from './panes/components.js';
import { ACTIONS_LIST, alertListInFront, QUEUE_LIST } from './panes/alerts.js';
import { StandupForm } from './StandupForm.js';
import { TabStrip } from './TabStrip.js';
import { colorTheme, ThemeContext, type Theme } from './theme.js';
import { TooSmall } from './TooSmall.js';
import { initialUIState, routeKey, selectedIn, withOutput, type Effect, type KeyPress, type RouterContext, type UIState } from './ui-state.js';
import { playbookView } from './model/playbook.js';
import { ActionOutput } from './ActionOutput.js';

export interface ConsoleAppProps {
  config: ImosConfig;
  store: Store;
  actions: ConsoleActions;
  /** Who acts (--as, or the login user). */
  actor: string;
  readonly?: boolean;
  /** Read-only, cycles the focused pane every `cycleMs`, needs no keyboard. */
  wallboard?: boolean;
  cycleMs?: number;
  now?: () => number;
  theme?: Theme;
  loadPlan?: PlanLoader;
  /** The store, already followed (views/hooks/use-console-data.ts): the first frame has its figures. */
  follower?: StoreFollower;
  /** Called on q / :q; default: Ink's exit. */
  onQuit?: () => void;
  /** The header clock ticks every second (tests turn it off). */
  tick?: boolean;
  /** How often ages and countdowns are re-derived. */
  refreshMs?: number;
  initialPane?: string;
  /** The panes, in Tab order (default: views/panes/registry.ts). */
  panes?: readonly PaneSpec[];
  /** The `:` commands (default: views/commands.ts). */
  commands?: readonly LineCommand[];
  /**
   * Why the workspace is gone (its store directory or config removed), once it is: the console
   * stops following the store, changes nothing, and says so (src/console/workspace-watch.ts).
   */
  gone?: string | null;
  /**
   * This console polls (no daemon holds the lease) and could not store its last results: why.
   * The header says NOT POLLING at once, the status line why, until a write succeeds again.
   */
  pollerProblem?: string | null;
  /** Shown in the status line while no message is (re-read every second). */
  banner?: () => string;
  /** A status message goes after this long (a failure stays twice as long); 0 keeps it. */
  statusFadeMs?: number;
  /** The `:` lines of earlier sessions, and where to keep a new one (src/console/command-history.ts). */
  commandHistory?: { initial: readonly string[]; remember(line: string): void };
}

/** No audit yet (a stable identity, so the alert history is not re-read at every frame). */
const NO_AUDIT: readonly AuditEntry[] = [];
const EMPTY_VM_NOW = 0;

export function ConsoleApp(props: ConsoleAppProps) {
  const { config, store, actions, actor } = props;
  const wallboard = props.wallboard ?? false;
  const gone = props.gone ?? null;
  const pollerProblem = props.pollerProblem ?? null;
  const readonly = (props.readonly ?? false) || wallboard || gone !== null;
  const now = props.now ?? Date.now;
  const theme = props.theme ?? colorTheme;
  const tick = props.tick ?? true;
  const refreshMs = props.refreshMs ?? 5000;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const keyboard = isRawModeSupported === true;
  const panes = props.panes ?? PANES;
  const commands = props.commands ?? COMMANDS;
  const size = useTerminalSize();
  const layout = calculateLayout(size.columns, size.rows, panes.length);
  const keymap = useMemo(() => activeKeymap(readonly, panes.length), [readonly, panes.length]);

  const { data, error, refresh } = useConsoleData(store, config, now, props.loadPlan, undefined, gone !== null, props.follower);
  const dataRef = useRef(data);
  dataRef.current = data;

  // The UI state lives in a ref as well, so that keys arriving before a re-render see the newest state.
  const uiRef = useRef<UIState>(initialUIState(props.initialPane ?? panes[0]!.id, props.commandHistory?.initial ?? []));
  const [ui, setUi] = useState<UIState>(uiRef.current);
  const apply = useCallback((next: UIState) => {
    uiRef.current = next;
    setUi(next);
  }, []);
  const update = useCallback((fn: (s: UIState) => UIState) => apply(fn(uiRef.current)), [apply]);

  // Status messages fade: the line is free again for the next one (or the demo's banner).
  const statusFadeMs = props.statusFadeMs ?? 5000;
  useEffect(() => {
    const shown = ui.status;
    if (!shown || statusFadeMs <= 0) return;
    const timer = setTimeout(() => update((s) => (s.status === shown ? { ...s, status: null } : s)), shown.tone === 'critical' ? statusFadeMs * 2 : statusFadeMs);
    timer.unref?.();
    return () => clearTimeout(timer);
  }, [ui.status, statusFadeMs, update]);

  // Ages and countdowns move on a slow tick, not on every key press.
  const [vmNow, setVmNow] = useState(() => now());
  useEffect(() => {
    if (!tick) return;
    const timer = setInterval(() => setVmNow(now()), refreshMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [now, refreshMs, tick]);
  useEffect(() => {
    // A store change is a good moment to refresh the clock of the rows too.
    if (data) setVmNow(now());
  }, [data, now]);

  // One memoised view model per console: rows are re-derived only when what they rest on changes.
  const buildViewModel = useMemo(createViewModel, []);
  const openAlert = useMemo(() => (ui.alertDetail && data ? (findAlert(data.core.alerts, ui.alertDetail) ?? null) : null), [ui.alertDetail, data?.core.alerts]);
  const alertHistory = useAlertHistory(store, openAlert, data?.audit ?? NO_AUDIT);
  const vm = buildViewModel(
    config,
    data,
    { filters: ui.filters, sorts: ui.sorts, detailSystem: ui.detail?.system ?? null, alertDetail: ui.alertDetail, alertHistory },
    vmNow || EMPTY_VM_NOW,
  );
  const focusedIndex = Math.max(0, panes.findIndex((p) => p.id === ui.pane));
  const boxes = layout.kind === 'too-small' ? [] : paneBoxesFor(layout, panes, { vm, ui, config }, focusedIndex);
  const focusedSize = sizeIn(boxes[focusedIndex]);

  // Wallboard: cycle the focused pane.
  useEffect(() => {
    if (!wallboard) return;
    const next = (pane: string) => panes[(panes.findIndex((p) => p.id === pane) + 1) % panes.length]!.id;
    const timer = setInterval(() => update((s) => ({ ...s, pane: next(s.pane), detail: null, alertDetail: null, scroll: 0 })), props.cycleMs ?? 15_000);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [wallboard, props.cycleMs, update, panes]);

  const quit = useCallback(() => {
    if (props.onQuit) props.onQuit();
    else exit();
  }, [props.onQuit, exit]);
  // Quitting while an action this console started still runs stops it: asked once first.
  const quitWarned = useRef(false);

  const runEffect = useCallback(
    (effect: Effect) => {
      if (!effect) return;
      const say = (text: string, tone: 'ok' | 'critical' | 'muted' = 'ok') => update((s) => ({ ...s, status: { text, tone } }));
      const fail = (err: unknown) => say(err instanceof Error ? err.message : String(err), 'critical');
      const after = () => {
        refresh('core');
        refresh('audit');
      };
      switch (effect.type) {
        case 'quit': {
          const running = actions.runningActions();
          if (running.length === 0) return quit();
          if (!quitWarned.current) {
            quitWarned.current = true;
            say(`${running.join(', ')} still running: q again stops ${running.length > 1 ? 'them' : 'it'} and quits`, 'critical');
            return;
          }
          say(`stopping ${running.join(', ')}…`, 'critical');
          actions.stopActions().finally(quit);
          return;
        }
        case 'ack':
          actions.acknowledge(effect.id, effect.note).then(say, fail).finally(after);
          return;
        case 'unack':
          actions.unacknowledge(effect.id).then(say, fail).finally(after);
          return;
        case 'snooze':
          actions.snooze(effect.id, effect.duration).then(say, fail).finally(after);
          return;
        case 'run-now':
          actions.runNow().then(say, fail).finally(after);
          return;
        case 'pause':
          actions.setPaused(!vmRef.current.paused).then(say, fail).finally(after);
          return;
        case 'matrix-set':
          actions.setMatrixStatus(effect.item, effect.status).then(say, fail).finally(after);
          return;
        case 'prepare-action':
          actions.prepareAction(effect.alertId, effect.actionId, effect.args).then(
            (prepared) => update((s) => ({ ...s, mode: { kind: 'action-confirm', prepared, text: '', focus: Math.min(effect.focus ?? 0, Math.max(0, prepared.choices.length - 1)) }, status: null })),
            fail,
          );
          return;
        case 'run-action': {
          const { alertId, actionId, args } = effect.prepared;
          const mine = (s: UIState) => s.mode.kind === 'action-output' && s.mode.run.alertId === alertId && s.mode.run.actionId === actionId;
          // Output is drawn in batches: a flood must not cost a frame per chunk.
          let pending: string[] = [];
          let partial = '';
          const flush = () => {
            if (pending.length === 0) return;
            const lines = pending;
            pending = [];
            update((s) => (mine(s) && s.mode.kind === 'action-output' ? { ...s, mode: { kind: 'action-output', run: withOutput(s.mode.run, lines) } } : s));
          };
          const timer = setInterval(flush, 100);
          const finish = (summary: string, failed: boolean) => {
            clearInterval(timer);
            quitWarned.current = false;
            if (partial) pending.push(partial);
            flush();
            update((s) =>
              mine(s) && s.mode.kind === 'action-output'
                ? { ...s, mode: { kind: 'action-output', run: { ...s.mode.run, done: true, summary, failed } }, status: { text: summary, tone: failed ? 'critical' : 'ok' } }
                : { ...s, status: { text: summary, tone: failed ? 'critical' : 'ok' } },
            );
            after();
          };
          actions
            .runAction(alertId, actionId, (text) => {
              const parts = (partial + text).split('\n');
              partial = parts.pop() ?? '';
              pending.push(...parts);
            }, args)
            .then(
              (summary) => finish(summary, !/: exit 0 /.test(summary)),
              (err) => finish(err instanceof Error ? err.message : String(err), true),
            );
          return;
        }
        case 'save-standup': {
          const errors = actions.validateStandup(effect.form.draft);
          const setForm = (fn: (f: StandupFormState) => StandupFormState) =>
            update((s) => (s.mode.kind === 'standup' ? { ...s, mode: { kind: 'standup', form: fn(s.mode.form) } } : s));
          if (Object.keys(errors).length > 0) {
            setForm((f) => setFormErrors(f, errors));
            return;
          }
          actions.saveStandup(effect.form.draft).then(
            (message) => {
              update((s) => ({ ...s, mode: { kind: 'normal' }, status: { text: message, tone: 'ok' } }));
              after();
            },
            (err) => {
              if (err instanceof StandupInvalidError) setForm((f) => setFormErrors(f, err.errors));
              else setForm((f) => setFormErrors(f, { '': err instanceof Error ? err.message : String(err) }));
            },
          );
          return;
        }
      }
    },
    [actions, quit, refresh, update],
  );

  const vmRef = useRef<ViewModel>(vm);
  vmRef.current = vm;
  const routerCtx = useRef<RouterContext | null>(null);
  const completionVm = vm;
  routerCtx.current = {
    // What Tab completes, built when Tab asks for it: a key press must not list 10,000 alert ids.
    completions: {
      get alert() {
        return completionVm.alerts.map((a) => a.id);
      },
      // Matrix items (tables, systems, tasks) and the configured systems, which `:set` also takes.
      get 'matrix-item'() {
        return [...new Set([...(completionVm.plan?.itemIds ?? []), ...Object.keys(config.systems)])];
      },
    },
    readonly,
    keymap,
    commands,
    panes,
    counts: listCounts(panes, vm, ui),
    detailCount: vm.detailChecks.length,
    selectedAlertId: selectedAlertId(ui, vm),
    selectedSystemId: selectedSystemId(ui, vm),
    pageRows: Math.max(1, focusedSize.rows - 2),
    scrollMax:
      ui.mode.kind === 'help'
        ? layout.kind === 'too-small'
          ? 0
          : helpWindow(helpLines(keymap, commands, readonly, panes).length, layout.columns, layout.bodyHeight, 0).max
        : (panes[focusedIndex]?.scrollMax?.({ vm, ui, config, focused: true }, focusedSize) ?? 0),
    playbookActions: (alertId) => {
      const alert = dataRef.current?.core.alerts.find((a) => a.id === alertId);
      return alert ? (playbookView(config, alert)?.actions.map((a) => ({ key: a.key, id: a.id, title: a.title })) ?? []) : [];
    },
    outputRows: Math.max(1, layout.kind === 'too-small' ? 5 : layout.bodyHeight - 3),
    newStandup: () => {
      const core = dataRef.current?.core ?? { standups: [] };
      const today = dayIn(now(), config.timezone);
      return newStandupForm(config, actor, todaysDrafts(core, today), todaysOwners(core, today));
    },
  };

  const onKey = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of splitKeys(input, key)) handlePress(press);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [apply, runEffect, quit, size.columns, size.rows, panes],
  );
  const handlePress = (press: KeyPress) => {
    const ctx = routerCtx.current!;
    // The selection may have moved since the last render: use the newest state's rows.
    const current = uiRef.current;
    const v = vmRef.current;
    ctx.selectedAlertId = selectedAlertId(current, v);
    ctx.selectedSystemId = selectedSystemId(current, v);
    // `]` may have brought another list to the front since: count the one in front now.
    ctx.counts = listCounts(panes, v, current);
    if (calculateLayout(size.columns, size.rows, panes.length).kind === 'too-small' && current.mode.kind === 'normal') {
      if (press.name === 'q' || press.name === 'ctrl+c') quit();
      return;
    }
    const { state, effect } = routeKey(current, press, ctx);
    if (state !== current) apply(state);
    // A `:` line run: kept for the next session too.
    if (state.commandHistory !== current.commandHistory && state.commandHistory.length > 0) props.commandHistory?.remember(state.commandHistory.at(-1)!);
    runEffect(effect);
  };
  useInput(onKey, { isActive: keyboard });

  const stateValue = useMemo<UIStateValue | null>(
    () =>
      layout.kind === 'too-small'
        ? null
        : { config, actor, readonly, wallboard, layout, boxes, panes, ui, vm, keymap, commands, now, storeError: error, gone, pollerProblem },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [config, actor, readonly, wallboard, layout.kind, layout.columns, layout.rows, boxes.map((b) => `${b.width}x${b.height}`).join(), panes, ui, vm, keymap, commands, now, error, gone, pollerProblem],
  );
  const actionsValue = useMemo<UIActionsValue>(() => ({ run: runEffect }), [runEffect]);

  if (layout.kind === 'too-small' || !stateValue) {
    return <TooSmall columns={size.columns} rows={size.rows} need={layout.kind === 'too-small' ? layout.need : { columns: 0, rows: 0 }} />;
  }
  return (
    <ThemeContext.Provider value={theme}>
      <UIStateContext.Provider value={stateValue}>
        <UIActionsContext.Provider value={actionsValue}>
          <Box flexDirection="column" width={layout.columns} height={layout.height}>
            <Header width={layout.columns} tick={tick} />
            <Body error={error} loading={data === null} />
            <StatusLine width={layout.columns} banner={props.banner} tick={tick} />
            <Footer width={layout.columns} />
          </Box>
        </UIActionsContext.Provider>
      </UIStateContext.Provider>
    </ThemeContext.Provider>
  );
}

function Body({ error, loading }: { error: string | null; loading: boolean }) {
  const { layout, ui, panes, boxes } = useUIState();
  const height = layout.bodyHeight;
  if (error && loading) {
    return (
      <Box height={height} flexDirection="column">
        <Tone token="critical">{`cannot read the store: ${sanitizeLine(error, 300)}`}</Tone>
      </Box>
    );
  }
  if (ui.mode.kind === 'help') return <HelpScreen width={layout.columns} height={height} />;
  if (ui.mode.kind === 'standup') return <StandupForm form={ui.mode.form} width={layout.columns} height={height} />;
  if (ui.mode.kind === 'action-output') return <ActionOutput run={ui.mode.run} width={layout.columns} height={height} />;
  const focused = Math.max(0, panes.findIndex((p) => p.id === ui.pane));
  if (ui.zoomed) {
    return (
      <Box flexDirection="column" height={height}>
        <PaneFor pane={panes[focused]!} number={focused + 1} box={boxes[focused]!} zoomed />
      </Box>
    );
  }
  if (layout.kind === 'grid') {
    // Two columns, the registry's panes alternating between them; each column shared by need.
    return (
      <Box flexDirection="row" height={height}>
        {[0, 1].map((column) => (
          <Box key={column} flexDirection="column">
            {panes.map((p, i) => (i % 2 === column ? <PaneFor key={p.id} pane={p} number={i + 1} box={boxes[i]!} /> : null))}
          </Box>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      <TabStrip width={layout.columns} />
      <PaneFor pane={panes[focused]!} number={focused + 1} box={boxes[focused]!} />
    </Box>
  );
}

/** A pane in its frame, drawn from the rows its registry entry picks from the view model. */
function PaneFor({ pane, number, box, zoomed = false }: { pane: PaneSpec; number: number; box: PaneBox; zoomed?: boolean }) {
  const { ui, vm, config } = useUIState();
  const focused = ui.pane === pane.id;
  const Content = pane.component;
  const size = sizeIn(box);
  const summary = pane.summary?.(vm) ?? '';
  return (
    <Pane title={pane.title} number={number} focused={focused} width={box.width} height={box.height} right={zoomed ? `${summary}${summary ? ' · ' : ''}f: back` : summary}>
      <Content width={size.width} rows={size.rows} {...pane.model({ vm, ui, config, focused })} />
    </Pane>
  );
}

/** The room inside a pane's box: columns inside its border, rows under its title. */
function sizeIn(box: PaneBox | undefined): PaneSize {
  return box ? { width: Math.max(0, box.width - 2), rows: Math.max(1, box.height - PANE_FRAME_ROWS) } : { width: 0, rows: 1 };
}

/** Each pane's box for this layout, from what each pane says it needs (views/layout.ts). */
function paneBoxesFor(layout: Exclude<Layout, { kind: 'too-small' }>, panes: readonly PaneSpec[], input: Omit<PaneInput, 'focused'>, focused: number): PaneBox[] {
  const wants = panes.map((p, i) => (layout.kind === 'grid' && p.rowsWanted ? p.rowsWanted({ ...input, focused: i === focused }, Math.max(0, layout.paneWidth - 2)) : null));
  return paneBoxes(layout, wants, focused, input.ui.zoomed);
}

/** Rows of each pane's list in front, by pane id (j/k, PgUp/PgDn and G stop at the last). */
function listCounts(panes: readonly PaneSpec[], vm: ViewModel, ui: UIState): Record<string, number> {
  return Object.fromEntries(panes.map((p) => [p.id, p.listLength?.(vm, ui) ?? 0]));
}

/** The alert the alert center's actions apply to: the one open in full, else the selected row (none while the recent actions are in front). */
function selectedAlertId(ui: UIState, vm: ViewModel): string | null {
  if (!ui.alertDetail && alertListInFront(ui) === ACTIONS_LIST) return null;
  // The escalation queue in front: its selected entry is the alert acted on.
  if (!ui.alertDetail && alertListInFront(ui) === QUEUE_LIST) return vm.escalations[Math.min(selectedIn(ui, QUEUE_LIST), vm.escalations.length - 1)]?.id ?? null;
  return ui.alertDetail ?? vm.alerts[Math.min(selectedIn(ui, 'alerts'), vm.alerts.length - 1)]?.id ?? null;
}

function selectedSystemId(ui: UIState, vm: ViewModel): string | null {
  return vm.systems[Math.min(selectedIn(ui, 'systems'), vm.systems.length - 1)]?.id ?? null;
}
