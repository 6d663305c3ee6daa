// Pure parts of the database helpers: identifier parsing and quoting, error classification,
// target descriptions and redaction, number and duration helpers, the resource registry.
import { describe, expect, it } from 'vitest';
import { createResourceRegistry } from '../../src/engine/resources.js';
import { classifyPgError } from './errors.js';
import { displayName, parseQualifiedName, quoteColumn, quoteQualified } from './names.js';
import { toNumber, toSeconds } from './outcome.js';
import { showValue } from './single-value.js';
import { describeTarget, scrub } from './target.js';

describe('identifiers', () => {
  it('folds unquoted names, keeps quoted ones, splits on the dot outside quotes', () => {
    expect(parseQualifiedName('public.Reservations')).toEqual({ schema: 'public', name: 'reservations' });
    expect(parseQualifiedName('outbox')).toEqual({ schema: null, name: 'outbox' });
    expect(parseQualifiedName('"My Schema"."Odd.Name"')).toEqual({ schema: 'My Schema', name: 'Odd.Name' });
    expect(parseQualifiedName('"a""b"')).toEqual({ schema: null, name: 'a"b' });
    expect(quoteQualified('public.Reservations')).toBe('"public"."reservations"');
    expect(quoteQualified('"x""; drop table t; --"')).toBe('"x""; drop table t; --"');
    expect(quoteColumn('created_at')).toBe('"created_at"');
    expect(displayName({ schema: 'public', name: 'Odd Name' })).toBe('public."Odd Name"');
    // Letters beyond ASCII are letters too, unquoted (and fold to lower case).
    expect(parseQualifiedName('ventes.Réservations_2$')).toEqual({ schema: 'ventes', name: 'réservations_2$' });
    expect(parseQualifiedName('_会員')).toEqual({ schema: null, name: '_会員' });
  });

  it('rejects what is not a name, saying why', () => {
    expect(() => parseQualifiedName('orders; drop table x')).toThrow(/not a valid name/);
    expect(() => parseQualifiedName('2orders')).toThrow(/not a valid name/);
    expect(() => parseQualifiedName('$orders')).toThrow(/not a valid name/);
    expect(() => parseQualifiedName('a.b.c')).toThrow(/too many parts/);
    expect(() => parseQualifiedName('"open')).toThrow(/unterminated/);
    expect(() => parseQualifiedName('public.')).toThrow(/ends with a dot/);
    expect(() => parseQualifiedName('')).toThrow(/empty/);
    expect(() => quoteColumn('a.b')).toThrow(/not a column name/);
  });
});

describe('error classification', () => {
  const target = describeTarget('postgresql://app:pw-secret@db.example.internal:5433/unified');
  const classify = (error: unknown, phase: 'connect' | 'query' = 'connect') => classifyPgError(error, { phase, target, timeoutMs: 2000 });
  const sys = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('gives each connection failure its own words', () => {
    expect(classify(sys('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example.internal'))).toMatchObject({
      kind: 'dns',
      connection: true,
      message: 'cannot connect to db.example.internal:5433/unified: host "db.example.internal" not found (DNS lookup failed)',
    });
    expect(classify(sys('EAI_AGAIN')).kind).toBe('dns');
    expect(classify(sys('ECONNREFUSED')).message).toMatch(/connection refused/);
    expect(classify(sys('28P01')).message).toMatch(/authentication failed for user "app" \(wrong password\)/);
    expect(classify(sys('3D000')).message).toMatch(/database "unified" does not exist/);
    expect(classify(new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }))).toMatchObject({
      kind: 'connect-timeout',
      message: 'cannot connect to db.example.internal:5433/unified: connection timed out after 2s',
    });
    expect(classify(sys('ETIMEDOUT')).kind).toBe('connect-timeout');
    expect(classify(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')).kind).toBe('auth');
    expect(classify(Object.assign(new AggregateError([sys('ECONNREFUSED')], 'x'), {})).kind).toBe('refused');
    expect(classify(sys('53300')).kind).toBe('too-many-connections');
    expect(classify(sys('57P03')).kind).toBe('starting');
  });

  it('keeps query failures apart from connection failures', () => {
    expect(classify(sys('57014', 'canceling statement due to statement timeout'), 'query')).toMatchObject({
      kind: 'query-timeout',
      connection: false,
    });
    expect(classify(sys('42P01', 'relation "x" does not exist'), 'query')).toMatchObject({
      kind: 'query',
      connection: false,
      message: 'query failed: relation "x" does not exist',
    });
    expect(classify(new Error('Connection terminated unexpectedly'), 'query')).toMatchObject({ kind: 'connection-lost', connection: true });
  });

  it('strips terminal control sequences and keeps server text short', () => {
    const nasty = sys('42000', '\u001b]0;pwned\u0007\u001b[2J' + 'x'.repeat(500));
    const failure = classify(nasty, 'query');
    expect(failure.message).not.toMatch(/\u001b/);
    expect(failure.message.length).toBeLessThanOrEqual(300);
  });
});

describe('targets and secrets', () => {
  it('describes a URL without its user or password, TCP or socket', () => {
    const t = describeTarget('postgresql://app:p%40ss@127.0.0.1:5432/unified?sslmode=disable');
    expect(t).toMatchObject({ where: '127.0.0.1:5432/unified', user: 'app', database: 'unified' });
    expect(t.secrets).toEqual(expect.arrayContaining(['p%40ss', 'p@ss']));
    expect(describeTarget('postgresql://app@/unified?host=/run/postgresql').where).toBe('/run/postgresql (socket)/unified');
    const broken = describeTarget('postgres://x:s3cret@[::1/z');
    expect(broken.where).toBe('the configured url');
    expect(broken.secrets).toContain('s3cret');
  });

  it('scrubs URLs and bare passwords from text', () => {
    const t = describeTarget('postgresql://app:hunter22@h/db');
    expect(scrub('failed for postgresql://app:hunter22@h/db: hunter22', t)).toBe('failed for postgresql://app:***@h/db: ***');
    expect(showValue('postgresql://app:hunter22@some-long-host-name.example.com:5432/database', t.secrets)).not.toContain('hunter22');
  });
});

describe('numbers and durations', () => {
  it('reads pg numbers and intervals', () => {
    expect(toNumber('1200')).toBe(1200);
    expect(toNumber('12.5')).toBe(12.5);
    expect(toNumber('abc')).toBeNull();
    expect(toNumber(null)).toBeNull();
    expect(toSeconds({ minutes: 7, seconds: 3, milliseconds: 500 })).toBe(423.5);
    expect(toSeconds({ days: 1 })).toBe(86_400);
    expect(toSeconds({ weird: 1 })).toBeNull();
  });
});

describe('resource registry', () => {
  it('creates once, drops and recreates, closes everything once', async () => {
    const registry = createResourceRegistry();
    const disposed: string[] = [];
    let made = 0;
    const make = () => ({ n: ++made });
    const a = registry.get('a', make, (r) => void disposed.push(`a${r.n}`));
    expect(registry.get('a', make, () => {})).toBe(a);
    await registry.drop('a');
    const again = registry.get('a', make, (r) => void disposed.push(`a${r.n}`));
    expect(again).not.toBe(a);
    registry.get('b', make, async () => {
      throw new Error('close failed'); // must not stop the others
    });
    await registry.closeAll();
    await registry.closeAll();
    await registry.drop('missing');
    expect(disposed).toEqual(['a1', 'a2']);
  });
});
