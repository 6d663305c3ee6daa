import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FROM_CHARS, cacheSlot, MAX_CONFIG_CACHES, parseInSlot, type ParseCache, type ValidatedData } from './parse-cache.js';
import { loadConfigFile, loadConfigText } from './load.js';
import { ConfigError } from './errors.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The parse from the cache for `text` of `file`, else parsed and kept (as load.ts reads a file with a mistake). */
const parseWithCache = (text: string, file: string, c: ParseCache | undefined, parse: () => unknown) => parseInSlot(cacheSlot(text, file, c), parse);

let dir: string;
let cache: ParseCache;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imos-parse-cache-'));
  cache = { dir: path.join(dir, 'cache'), build: 'file:///imos/dist/core-1234.cjs' };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A text long enough to be kept. */
const large = (tag = '') => `# ${tag}\n${'x'.repeat(CACHE_FROM_CHARS)}\n`;
const entries = () => readdirSync(cache.dir).filter((n) => n.startsWith('config-'));

/** parseWithCache, counting the parses it asked for. */
function reader() {
  let parses = 0;
  const data = { a: [1, -0, Number.NaN, Number.POSITIVE_INFINITY, null, true, 'text'], nested: { deep: [{ x: '${TOKEN}' }] }, ['__proto__']: { own: 1 } };
  Object.defineProperty(data, '__proto__', { value: { own: 1 }, enumerable: true, writable: true, configurable: true });
  return {
    data,
    get parses() {
      return parses;
    },
    read: (text: string, file = path.join(dir, 'imos.yaml'), c: ParseCache | undefined = cache) =>
      parseWithCache(text, file, c, () => {
        parses++;
        return data;
      }),
  };
}

describe('parseWithCache', () => {
  it("parses a large file once, then gives the same data from the cache (V8's own serialisation: -0, NaN, a key named __proto__)", () => {
    const r = reader();
    const first = r.read(large());
    const second = r.read(large()) as Record<string, unknown>;
    expect(r.parses).toBe(1);
    expect(second).not.toBe(first);
    expect(second).toStrictEqual(first);
    expect(Object.is((second.a as unknown[])[1], -0)).toBe(true);
    expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
    expect(Object.keys(second)).toEqual(['a', 'nested', '__proto__']);
  });

  it('parses again when the text changed (one entry per file, replaced) or another build reads it', () => {
    const r = reader();
    r.read(large('one'));
    r.read(large('two'));
    expect(r.parses).toBe(2);
    expect(entries()).toHaveLength(1);
    r.read(large('two'), undefined, { ...cache, build: 'file:///imos/dist/core-5678.cjs' });
    expect(r.parses).toBe(3);
    r.read(large('two'), path.join(dir, 'other.yaml'));
    expect(r.parses).toBe(4);
    expect(entries()).toHaveLength(2);
  });

  it('keeps nothing for a small file, without a cache, or when the parse throws', () => {
    const r = reader();
    r.read('project: small\n');
    r.read('project: small\n');
    expect(parseWithCache(large(), path.join(dir, 'imos.yaml'), undefined, () => r.data)).toBe(r.data);
    expect(r.parses).toBe(2);
    expect(() => parseWithCache(large(), path.join(dir, 'bad.yaml'), cache, () => {
      throw new Error('a mistake');
    })).toThrow('a mistake');
    // What the bundled reader declines (the `yaml` library reads it, installed apart from the build).
    expect(parseWithCache(large(), path.join(dir, 'declined.yaml'), cache, () => undefined)).toBeUndefined();
    expect(() => readdirSync(cache.dir)).toThrow();
  });

  it('parses again when the entry is damaged, and replaces it', () => {
    const r = reader();
    r.read(large());
    const file = path.join(cache.dir, entries()[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(file, bytes);
    r.read(large());
    expect(r.parses).toBe(2);
    r.read(large());
    expect(r.parses).toBe(2);
  });

  it('still gives the data when the cache cannot be written (a file where its folder should be)', () => {
    writeFileSync(path.join(dir, 'file'), '');
    const r = reader();
    const blocked = { ...cache, dir: path.join(dir, 'file', 'cache') };
    expect(r.read(large(), undefined, blocked)).toBe(r.data);
    expect(r.read(large(), undefined, blocked)).toBe(r.data);
    expect(r.parses).toBe(2);
  });

  it('keeps its entries private to the user, and at most MAX_CONFIG_CACHES of them, the newest', () => {
    const r = reader();
    for (let i = 0; i < MAX_CONFIG_CACHES + 3; i++) {
      r.read(large(), path.join(dir, `imos-${i}.yaml`));
      // Older by i seconds' difference: the tidying goes by time.
      const newest = entries().map((n) => path.join(cache.dir, n)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
      utimesSync(newest, new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
    }
    expect(entries()).toHaveLength(MAX_CONFIG_CACHES);
    expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
    for (const name of entries()) expect(statSync(path.join(cache.dir, name)).mode & 0o777).toBe(0o600);
    // The newest file's entry is there: read again without a parse.
    const before = r.parses;
    r.read(large(), path.join(dir, `imos-${MAX_CONFIG_CACHES + 2}.yaml`));
    expect(r.parses).toBe(before);
  });

  it("never uses an entry another user wrote (where it may: root changes the file's owner)", (ctx) => {
    const r = reader();
    r.read(large());
    try {
      chownSync(path.join(cache.dir, entries()[0]!), 4242, 4242);
    } catch {
      ctx.skip();
    }
    r.read(large());
    expect(r.parses).toBe(2);
  });
});

describe('a configuration read from the cache', () => {
  /** A configuration of `count` checks, one of them with `extra` (YAML) added. */
  function configText(count: number, extra = '') {
    const lines = ['project: Cached', 'systems:', '  app: { name: App }', 'checks:'];
    for (let i = 0; i < count; i++) lines.push(`  - id: check-${i}`, '    system: app', '    kind: command', `    run: [node, -e, "process.exit(0)", "\${TOKEN:-none}"]`, ...(i === count - 1 ? [extra] : []));
    return `${lines.join('\n')}\n`;
  }

  it('is validated on every load: a mistake is reported with its line whether the data was parsed or read back', () => {
    const file = path.join(dir, 'imos.yaml');
    const text = configText(1000, '    colour: red');
    expect(text.length).toBeGreaterThan(CACHE_FROM_CHARS);
    writeFileSync(file, text);
    const messages = [0, 1].map(() => {
      try {
        loadConfigFile(file, { parseCache: cache, env: {} });
      } catch (error) {
        return (error as ConfigError).message;
      }
      return 'loaded';
    });
    expect(entries()).toHaveLength(1);
    expect(messages[0]).toMatch(/imos\.yaml:\d+.*colour/);
    expect(messages[1]).toBe(messages[0]);
  });

  it('holds the file as written, never a value of the environment put into it', () => {
    const file = path.join(dir, 'imos.yaml');
    const text = configText(1000);
    const secret = 'tok-0123456789-secret';
    const loads = [0, 1].map(() => loadConfigText(text, file, { parseCache: cache, env: { TOKEN: secret } }));
    expect(loads[1]!.checks[5]).toStrictEqual(loads[0]!.checks[5]);
    expect(JSON.stringify(loads[1]!.checks[5])).toContain(secret);
    const entry = readFileSync(path.join(cache.dir, entries()[0]!));
    expect(entry.includes(Buffer.from(secret))).toBe(false);
    expect(entry.includes(Buffer.from('${TOKEN:-none}'))).toBe(true);
  });
});

describe('a valid configuration read from the cache', () => {
  /** `count` command checks without any ${VAR}; `extra` (YAML) added to the last. */
  function plainText(count: number, extra = '') {
    const lines = ['project: Kept', 'systems:', '  app: { name: App }', 'checks:'];
    for (let i = 0; i < count; i++) lines.push(`  - id: check-${i}`, '    system: app', '    kind: command', `    run: [node, -e, "process.exit(0)"]`, ...(i === count - 1 && extra ? [extra] : []));
    return `${lines.join('\n')}\n`;
  }
  const held = (text: string, file: string) => cacheSlot(text, file, cache)?.held;

  it('keeps what validation made of it, and the next load of the same text reads that back instead of validating again', () => {
    const file = path.join(dir, 'imos.yaml');
    const text = plainText(1000);
    expect(text.length).toBeGreaterThan(CACHE_FROM_CHARS);
    const first = loadConfigText(text, file, { parseCache: cache, env: {} });
    const entry = held(text, file);
    expect(entry && 'validated' in entry).toBe(true);
    expect(loadConfigText(text, file, { parseCache: cache, env: {} })).toStrictEqual(first);

    // What is read back is what the entry holds (an entry replaced by hand: only this text's key reaches it).
    const validated = structuredClone((entry as { validated: ValidatedData }).validated);
    (validated.checks[3]![0] as { name?: string }).name = 'read back';
    cacheSlot(text, file, cache)!.keep({ validated });
    expect(loadConfigText(text, file, { parseCache: cache, env: {} }).checks[3]!.name).toBe('read back');
    // `imos check --only`: the named checks as a full load reads them.
    const only = loadConfigText(text, file, { parseCache: cache, env: {}, checks: ['check-7'] });
    expect(only.checks.find((c) => c.id === 'check-7')).toStrictEqual(first.checks[7]);
    // Another text (one comment added) is validated: the entry is replaced by its own.
    const edited = `${text}# edited\n`;
    expect(loadConfigText(edited, file, { parseCache: cache, env: {} }).checks[3]!.name).toBeUndefined();
    expect(entries()).toHaveLength(1);
  });

  it('gives the same configuration as a load without the cache, for every kind of setting (the example workspace)', () => {
    const file = path.join(ROOT, 'data/example/imos.yaml');
    // Its variables written out (a file that refers to the environment is validated every time), and made large.
    const text = `${readFileSync(file, 'utf8').replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => fallback ?? `value-of-${name}`)}\n# ${'padding '.repeat(CACHE_FROM_CHARS / 8)}\n`;
    expect(text).not.toContain('${');
    const fresh = loadConfigText(text, file, { env: {} });
    expect(loadConfigText(text, file, { parseCache: cache, env: {} })).toStrictEqual(fresh);
    expect(held(text, file) && 'validated' in held(text, file)!).toBe(true);
    expect(loadConfigText(text, file, { parseCache: cache, env: {} })).toStrictEqual(fresh);
  });

  it('is not kept for a file with a mistake (reported with its line every time), nor for a file that refers to the environment', () => {
    const file = path.join(dir, 'imos.yaml');
    const wrong = plainText(1000, '    colour: red');
    const messages = [0, 1].map(() => {
      try {
        loadConfigText(wrong, file, { parseCache: cache, env: {} });
        return 'loaded';
      } catch (error) {
        return (error as ConfigError).message;
      }
    });
    expect(messages[0]).toMatch(/imos\.yaml:\d+.*colour/);
    expect(messages[1]).toBe(messages[0]);
    expect(held(wrong, file) && 'parsed' in held(wrong, file)!).toBe(true);

    const withVariable = plainText(1000, '    name: ${CHECK_NAME:-unnamed}');
    expect(loadConfigText(withVariable, file, { parseCache: cache, env: { CHECK_NAME: 'first' } }).checks[999]!.name).toBe('first');
    expect(held(withVariable, file) && 'parsed' in held(withVariable, file)!).toBe(true);
    expect(loadConfigText(withVariable, file, { parseCache: cache, env: { CHECK_NAME: 'second' } }).checks[999]!.name).toBe('second');
  });
});
