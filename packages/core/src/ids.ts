import { randomBytes } from 'node:crypto';

/** Entity kinds and the prefix their ids carry. */
export const ID_PREFIXES = ['job', 'att', 'cus', 'key'] as const;
/** One of {@link ID_PREFIXES}. */
export type IdPrefix = (typeof ID_PREFIXES)[number];

/** True for a known id prefix. */
export function isIdPrefix(value: unknown): value is IdPrefix {
  return (ID_PREFIXES as readonly unknown[]).includes(value);
}

// Crockford base32, lowercase: no i, l, o, u, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 50 bits, enough for a 48-bit millisecond timestamp
const RANDOM_CHARS = 20; // 100 random bits, above the contract's 80-bit floor
const MAX_TIME = 2 ** 48 - 1;
const BODY_PATTERN = new RegExp(`^[${ALPHABET}]{${TIME_CHARS + RANDOM_CHARS}}$`);

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(): string {
  // 20 chars x 5 bits = 100 bits; draw 13 bytes (104 bits) and use the low 5 bits of each step.
  const bytes = randomBytes(13);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < RANDOM_CHARS; i++) {
    out += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return out;
}

/**
 * A new prefixed id such as `job_01jh3k...`: a millisecond timestamp first (so ids sort by
 * creation time), then 100 random bits (so they cannot be guessed).
 */
export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  if (!isIdPrefix(prefix)) throw new TypeError(`unknown id prefix: ${String(prefix)}`);
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_TIME) {
    throw new RangeError(`id timestamp out of range: ${nowMs}`);
  }
  return `${prefix}_${encodeTime(nowMs)}${encodeRandom()}`;
}

/** What a well-formed id tells: its kind and when it was made. */
export interface ParsedId {
  prefix: IdPrefix;
  createdAt: Date;
}

/** Parses an id of the given kind; returns null for anything malformed (never throws). */
export function parseId(value: unknown, prefix: IdPrefix): ParsedId | null {
  if (!isIdPrefix(prefix)) return null;
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) return null;
  const body = value.slice(prefix.length + 1);
  if (!BODY_PATTERN.test(body)) return null;
  let ms = 0;
  for (const char of body.slice(0, TIME_CHARS)) ms = ms * 32 + ALPHABET.indexOf(char);
  if (ms > MAX_TIME) return null;
  return { prefix, createdAt: new Date(ms) };
}

/** True when value is a well-formed id of the given kind. */
export function isId(value: unknown, prefix: IdPrefix): value is string {
  return parseId(value, prefix) !== null;
}
