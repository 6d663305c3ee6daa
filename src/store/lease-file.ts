// The poller lease of the JSON store: one small file, rewritten atomically under its own lock.
// `epoch` grows whenever the holder changes, so a write fenced by an older holder is refused.
import { fileSignature, readSnapshot, writeFileAtomic } from './atomic-file.js';
import { leaseAction } from './lease-rules.js';
import { withFileLock, type LockOptions } from './lock.js';
import { STORE_VERSION, StoreError, type LeaseAcquireOptions, type LeaseOutcome, type LeaseStore } from './types.js';
import type { LeaseHolder } from '../model.js';

export interface LeaseFileData {
  version: number;
  holder: LeaseHolder | null;
  epoch: number;
}

function parseLease(text: string, file: string): LeaseFileData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoreError(`${file} is not valid JSON (${(error as Error).message}); the file was left untouched (imos store repair sets it aside)`, file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StoreError(`${file} does not hold the imos poller lease; the file was left untouched`, file);
  const data = raw as Partial<LeaseFileData>;
  if (typeof data.version !== 'number') throw new StoreError(`${file} has no format version (field "version"); the file was left untouched`, file);
  if (data.version > STORE_VERSION) {
    throw new StoreError(`${file} was written by a newer imos (format version ${data.version}; this imos reads version ${STORE_VERSION}); upgrade imos to use it. The file was left untouched`, file);
  }
  const holder = data.holder ?? null;
  if (holder !== null) {
    const bad = (['pid', 'host', 'user', 'since', 'renewedAt', 'token', 'role'] as const).find((field) =>
      field === 'pid' ? !Number.isInteger(holder.pid) : typeof holder[field] !== 'string',
    );
    if (bad) throw new StoreError(`${file}: field holder.${bad}: missing or of the wrong type; the file was left untouched`, file);
  }
  // Format version 1 had no epoch: its holder counts as epoch 0.
  const epoch = data.epoch ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new StoreError(`${file}: field epoch: expected a whole number; the file was left untouched`, file);
  return { version: STORE_VERSION, holder, epoch };
}

export class LeaseFile implements LeaseStore {
  private cache: { signature: string; data: LeaseFileData } | null = null;

  constructor(
    readonly file: string,
    private readonly lock: LockOptions,
    private readonly ensureDir: () => Promise<void>,
  ) {}

  /** The lease as stored (parsed once per version of the file). */
  async load(): Promise<LeaseFileData> {
    const signature = await fileSignature(this.file);
    if (signature === null) return { version: STORE_VERSION, holder: null, epoch: 0 };
    if (this.cache?.signature === signature) return this.cache.data;
    const snapshot = await readSnapshot(this.file);
    if (!snapshot) return { version: STORE_VERSION, holder: null, epoch: 0 };
    const data = parseLease(snapshot.text, this.file);
    this.cache = { signature: snapshot.signature, data };
    return data;
  }

  async read(): Promise<LeaseHolder | null> {
    return (await this.load()).holder;
  }

  async acquire(me: Omit<LeaseHolder, 'since' | 'renewedAt'>, ttlMs: number, options: LeaseAcquireOptions): Promise<LeaseOutcome> {
    await this.ensureDir();
    return withFileLock(this.file, this.lock, async (guard) => {
      const data = await this.load();
      const action = leaseAction(data.holder, me, options.nowMs, ttlMs, options.isAlive);
      if (action === 'wait') return { holder: data.holder, ours: false, epoch: data.epoch };
      const nowIso = new Date(options.nowMs).toISOString();
      const since = action === 'renew' && data.holder ? data.holder.since : nowIso;
      const holder: LeaseHolder = { ...me, since, renewedAt: nowIso };
      const epoch = action === 'take' ? data.epoch + 1 : data.epoch;
      await writeFileAtomic(this.file, JSON.stringify({ version: STORE_VERSION, holder, epoch }) + '\n', { beforeCommit: () => guard.assertStillHeld() });
      return { holder, ours: true, epoch };
    });
  }

  async release(token: string): Promise<void> {
    await withFileLock(this.file, this.lock, async () => {
      const data = await this.load();
      if (data.holder?.token !== token) return;
      await writeFileAtomic(this.file, JSON.stringify({ version: STORE_VERSION, holder: null, epoch: data.epoch }) + '\n');
    });
  }
}
