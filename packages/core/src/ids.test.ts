import { describe, expect, it } from 'vitest';
import { ID_PREFIXES, isId, newId, parseId } from './ids.ts';

const BODY = /^[0-9abcdefghjkmnpqrstvwxyz]{30}$/;

describe('newId', () => {
  it.each(ID_PREFIXES)('makes a %s id of prefix, underscore and 30 base32 characters', (prefix) => {
    const id = newId(prefix);
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(id.slice(prefix.length + 1)).toMatch(BODY);
    expect(id).toHaveLength(prefix.length + 31);
  });

  it('round-trips its timestamp through parseId', () => {
    for (const ms of [0, 1, 1_736_425_296_789, 2 ** 48 - 1]) {
      const parsed = parseId(newId('job', ms), 'job');
      expect(parsed).not.toBeNull();
      expect(parsed?.prefix).toBe('job');
      expect(parsed?.createdAt.getTime()).toBe(ms);
    }
  });

  it('defaults the timestamp to the current time', () => {
    const before = Date.now();
    const created = parseId(newId('cus'), 'cus')?.createdAt.getTime() ?? -1;
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(Date.now());
  });

  it('sorts lexicographically by creation time across milliseconds', () => {
    const times = [0, 1, 31, 32, 1023, 1024, 1_736_425_296_788, 1_736_425_296_789, 2 ** 48 - 1];
    const ids = times.map((ms) => newId('job', ms));
    const shuffled = [...ids].reverse();
    expect(shuffled.sort()).toEqual(ids);
  });

  it('encodes the timestamp as the first 10 characters', () => {
    expect(newId('job', 0).slice(4, 14)).toBe('0000000000');
    expect(newId('job', 32).slice(4, 14)).toBe('0000000010');
    expect(newId('job', 2 ** 48 - 1).slice(4, 14)).toBe('7zzzzzzzzz');
  });

  it('rejects timestamps that do not fit in 48 bits or are not whole milliseconds', () => {
    for (const ms of [-1, 2 ** 48, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => newId('job', ms)).toThrow(RangeError);
    }
  });

  it('never repeats in 10,000 ids made in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('att', 1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it('spreads the random part over the whole alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of newId('key').slice(14)) seen.add(c);
    expect(seen.size).toBe(32);
  });
});

describe('parseId', () => {
  const valid = newId('job', 1_736_425_296_789);
  const body = valid.slice(4);

  it('accepts a well-formed id of the requested kind', () => {
    expect(parseId(valid, 'job')).toEqual({
      prefix: 'job',
      createdAt: new Date(1_736_425_296_789),
    });
  });

  it('rejects an id of another kind', () => {
    expect(parseId(valid, 'att')).toBeNull();
    expect(parseId(`cus_${body}`, 'job')).toBeNull();
  });

  it('rejects wrong lengths', () => {
    expect(parseId(`job_${body.slice(1)}`, 'job')).toBeNull();
    expect(parseId(`job_${body}0`, 'job')).toBeNull();
    expect(parseId('job_', 'job')).toBeNull();
    expect(parseId('job', 'job')).toBeNull();
    expect(parseId('', 'job')).toBeNull();
  });

  it('rejects uppercase, in the body or the prefix', () => {
    expect(parseId(`job_${body.toUpperCase()}`, 'job')).toBeNull();
    expect(parseId(`JOB_${body}`, 'job')).toBeNull();
  });

  it.each(['i', 'l', 'o', 'u'])('rejects the ambiguous letter %s', (letter) => {
    expect(parseId(`job_${body.slice(0, 29)}${letter}`, 'job')).toBeNull();
    expect(parseId(`job_${letter}${body.slice(1)}`, 'job')).toBeNull();
  });

  it('rejects separators, padding and other characters', () => {
    expect(parseId(`job-${body}`, 'job')).toBeNull();
    expect(parseId(`job__${body.slice(1)}`, 'job')).toBeNull();
    expect(parseId(` ${valid}`, 'job')).toBeNull();
    expect(parseId(`${valid}\n`, 'job')).toBeNull();
    expect(parseId(`job_${body.slice(0, 29)}!`, 'job')).toBeNull();
    expect(parseId(`job_../${body.slice(3)}`, 'job')).toBeNull();
  });

  it('rejects a timestamp beyond 48 bits (first character above 7)', () => {
    expect(parseId(`job_8${body.slice(1)}`, 'job')).toBeNull();
    expect(parseId(`job_z${body.slice(1)}`, 'job')).toBeNull();
    expect(parseId(`job_7zzzzzzzzz${body.slice(10)}`, 'job')?.createdAt.getTime()).toBe(
      2 ** 48 - 1,
    );
  });

  it.each([null, undefined, 42, {}, [], new String('job_0000000000aaaaaaaaaaaaaaaaaaaa')])(
    'returns null for the non-string %s',
    (value) => {
      expect(parseId(value, 'job')).toBeNull();
    },
  );
});

describe('isId', () => {
  it('agrees with parseId', () => {
    const id = newId('key');
    expect(isId(id, 'key')).toBe(true);
    expect(isId(id, 'job')).toBe(false);
    expect(isId(id.toUpperCase(), 'key')).toBe(false);
    expect(isId(undefined, 'key')).toBe(false);
  });
});

describe('prefix checks', () => {
  it('refuses to mint an id with an unknown prefix', () => {
    expect(() => newId('usr' as 'job')).toThrow(TypeError);
  });

  it('never parses against an unknown prefix', () => {
    const body = newId('job').slice(4);
    expect(parseId(`usr_${body}`, 'usr' as 'job')).toBeNull();
  });
});
