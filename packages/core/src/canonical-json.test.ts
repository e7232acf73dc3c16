import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from './canonical-json.ts';

function holeyArray(): unknown[] {
  const array: unknown[] = [1];
  array[2] = 2;
  return array;
}

describe('canonicalJson', () => {
  it('writes scalars like JSON.stringify', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1.5e300)).toBe('1.5e+300');
    expect(canonicalJson('a"b\\c\n\u2028')).toBe(JSON.stringify('a"b\\c\n\u2028'));
  });

  it('sorts object keys at every depth and adds no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, A: true };
    expect(canonicalJson(value)).toBe('{"A":true,"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('is independent of key insertion order', () => {
    const one = { to: 'a@example.com', subject: 's', body: 'b', priority: 5 };
    const two = { priority: 5, body: 'b', subject: 's', to: 'a@example.com' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('keeps array order, because it carries meaning', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson([])).not.toBe(canonicalJson({}));
  });

  it('drops undefined object members, like an absent JSON field', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('sorts by UTF-16 code units, so the order never depends on locale', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, _: 4, '10': 5, '9': 6 })).toBe(
      '{"10":5,"9":6,"Z":3,"_":4,"z":2,"é":1}',
    );
  });

  it('accepts objects without a prototype and keys such as __proto__', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1}}');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint', 1n],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['undefined', undefined],
    ['an array hole', holeyArray()],
    ['undefined in an array', [undefined]],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a nested NaN', { a: [{ b: Number.NaN }] }],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('round-trips through JSON.parse to an equal value', () => {
    const value = { z: [1, 'two', { three: 3 }], a: { nested: { deep: true } }, n: -1.25 };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('requestFingerprint', () => {
  it('is the lowercase SHA-256 hex of the canonical JSON', () => {
    const value = { b: 2, a: 1 };
    const expected = createHash('sha256').update('{"a":1,"b":2}').digest('hex');
    expect(requestFingerprint(value)).toBe(expected);
    expect(requestFingerprint({})).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });

  it('matches for reordered bodies and differs for different ones', () => {
    expect(requestFingerprint({ to: 'x', subject: 'y' })).toBe(
      requestFingerprint({ subject: 'y', to: 'x' }),
    );
    expect(requestFingerprint({ to: 'x', subject: 'y' })).not.toBe(
      requestFingerprint({ to: 'x', subject: 'z' }),
    );
    expect(requestFingerprint({ s: 'é' })).not.toBe(requestFingerprint({ s: 'e\u0301' }));
  });
});
