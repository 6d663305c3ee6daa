// The words and marks people write in matrix cells, in English and Japanese, and how imos writes
// a status back in the same style as the cell it replaces.
import type { EntityKind, ItemStatus, Priority } from './types.js';
import { PRIORITIES } from './types.js';

const MARKS: Array<[string, ItemStatus]> = [
  ['✅', 'done'],
  ['✔️', 'done'],
  ['✔', 'done'],
  ['☑️', 'done'],
  ['☑', 'done'],
  ['🟢', 'done'],
  ['🔄', 'in-progress'],
  ['🚧', 'in-progress'],
  ['🟡', 'in-progress'],
  ['⏳', 'todo'],
  ['⬜', 'todo'],
  ['❌', 'todo'],
  ['🚫', 'blocked'],
  ['⛔', 'blocked'],
  ['🔴', 'blocked'],
];

const WORDS: Record<string, ItemStatus> = {
  done: 'done',
  complete: 'done',
  completed: 'done',
  integrated: 'done',
  connected: 'done',
  yes: 'done',
  ok: 'done',
  完了: 'done',
  済: 'done',
  済み: 'done',
  統合済: 'done',
  統合済み: 'done',
  接続済: 'done',
  接続済み: 'done',
  'in progress': 'in-progress',
  wip: 'in-progress',
  doing: 'in-progress',
  started: 'in-progress',
  connecting: 'in-progress',
  進行中: 'in-progress',
  作業中: 'in-progress',
  対応中: 'in-progress',
  todo: 'todo',
  'to do': 'todo',
  pending: 'todo',
  planned: 'todo',
  'not started': 'todo',
  open: 'todo',
  no: 'todo',
  'not connected': 'todo',
  disconnected: 'todo',
  未着手: 'todo',
  未完了: 'todo',
  未接続: 'todo',
  予定: 'todo',
  blocked: 'blocked',
  ブロック: 'blocked',
  ブロック中: 'blocked',
  停止: 'blocked',
};

/** The words accepted, for error messages. */
export const STATUS_HELP = 'done / in progress / todo / blocked, or ✅ 🔄 ⏳ 🚫';

function normaliseWord(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** The status a cell states, or null when it states none imos knows. */
export function parseStatus(cell: string): ItemStatus | null {
  const text = cell.trim();
  for (const [mark, status] of MARKS) if (text.startsWith(mark)) return status;
  const whole = WORDS[normaliseWord(text)];
  if (whole) return whole;
  // "done (2025-01-20)", "完了（1/20）": the first words decide.
  const head = normaliseWord(text.split(/[(（:：,、]/)[0] ?? '');
  return WORDS[head] ?? null;
}

function leadingMark(text: string): string | null {
  for (const [mark] of MARKS) if (text.startsWith(mark)) return mark;
  return null;
}

const MARK_FOR: Record<ItemStatus, string> = { done: '✅', 'in-progress': '🔄', todo: '⏳', blocked: '🚫' };

const ENGLISH: Record<EntityKind, Record<ItemStatus, string>> = {
  item: { done: 'done', 'in-progress': 'in progress', todo: 'todo', blocked: 'blocked' },
  task: { done: 'done', 'in-progress': 'in progress', todo: 'todo', blocked: 'blocked' },
  system: { done: 'connected', 'in-progress': 'in progress', todo: 'not connected', blocked: 'blocked' },
};
const JAPANESE: Record<EntityKind, Record<ItemStatus, string>> = {
  item: { done: '完了', 'in-progress': '進行中', todo: '未着手', blocked: 'ブロック' },
  task: { done: '完了', 'in-progress': '進行中', todo: '未着手', blocked: 'ブロック' },
  system: { done: '接続済み', 'in-progress': '進行中', todo: '未接続', blocked: 'ブロック' },
};

const hasJapanese = (text: string): boolean => /[\u3040-\u30ff\u3400-\u9fff]/.test(text);

/**
 * The cell text for `status`, in the style of the cell it replaces: a mark if it had one, a word
 * if it had one, Japanese if it was Japanese.
 */
export function renderStatus(status: ItemStatus, kind: EntityKind, previous: string): string {
  const mark = leadingMark(previous.trim());
  const rest = mark ? previous.trim().slice(mark.length).trim() : previous.trim();
  const words = hasJapanese(rest) ? JAPANESE[kind] : ENGLISH[kind];
  if (mark) return rest ? `${MARK_FOR[status]} ${words[status]}` : MARK_FOR[status];
  return words[status];
}

const PRIORITY_WORDS: Record<string, Priority> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  p0: 'CRITICAL',
  p1: 'HIGH',
  p2: 'MEDIUM',
  p3: 'LOW',
  緊急: 'CRITICAL',
  高: 'HIGH',
  中: 'MEDIUM',
  低: 'LOW',
  '🔴': 'CRITICAL',
  '🟠': 'HIGH',
  '🟡': 'MEDIUM',
  '🟢': 'LOW',
};

export function parsePriority(cell: string): Priority | null {
  const text = cell.trim();
  const direct = PRIORITY_WORDS[text.toLowerCase()];
  if (direct) return direct;
  // "🔴 CRITICAL", "HIGH (security)"
  for (const word of text.split(/[\s()（）]+/)) {
    const p = PRIORITY_WORDS[word.toLowerCase()];
    if (p) return p;
  }
  return null;
}

export const PRIORITY_RANK: Record<Priority, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
export const PRIORITY_HELP = PRIORITIES.join(' / ');

/** "2d", "4h", "1.5d", "1w", "3" (days), "3日", "4時間" → working days; null when not a duration. */
export function parseEstimate(cell: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(d|day|days|h|hr|hrs|hour|hours|w|wk|week|weeks|日|時間|週)?$/i.exec(cell.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  if (['h', 'hr', 'hrs', 'hour', 'hours', '時間'].includes(unit)) return n / 8;
  if (['w', 'wk', 'week', 'weeks', '週'].includes(unit)) return n * 5;
  return n;
}
