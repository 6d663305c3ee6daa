import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FROM_CHARS, MAX_CONFIG_CACHES, parseWithCache, type ParseCache } from './parse-cache.js';
import { loadConfigFile, loadConfigText } from './load.js';
import { ConfigError } from './errors.js';

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
