import { createHash } from 'node:crypto';

// Idempotent replay compares request bodies by meaning, not by the bytes a client happened to
// send: key order must not matter, everything else must. Only JSON data is accepted, so two
// different values can never collapse to the same text.

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, not JSON data`);
  }
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} is circular`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${Array.from(value, (item, i) => write(item, `${path}[${i}]`, ancestors)).join(',')}]`;
  } else if (isPlainObject(value)) {
    // Absent and undefined are the same thing in a parsed JSON body, as in JSON.stringify.
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    out = `{${keys
      .map((key) => `${JSON.stringify(key)}:${write(value[key], `${path}.${key}`, ancestors)}`)
      .join(',')}}`;
  } else {
    throw new TypeError(`canonicalJson: ${path} is a ${value.constructor?.name ?? 'object'}`);
  }
  ancestors.delete(value);
  return out;
}

/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit, no whitespace, undefined object
 * members dropped. Throws TypeError for anything that is not JSON data (NaN, bigint, Date, cycles).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

/** SHA-256 (lowercase hex) of {@link canonicalJson}: the idempotency fingerprint of a request. */
export function requestFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
