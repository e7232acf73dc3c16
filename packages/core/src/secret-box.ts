import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (customer SendGrid keys, webhook signing secrets). Keys are
 * versioned so an operator can rotate: the first key encrypts, every listed key decrypts, and
 * each ciphertext names the key that made it: `<keyId>.<iv>.<tag>.<ciphertext>` (base64url).
 */
export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
  /** Id of the key new ciphertexts are made with. */
  readonly currentKeyId: string;
}

/** Raised when a ciphertext is malformed, names an unknown key, or fails authentication. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses the operator's key list, `id:base64key[,id:base64key...]` (each key 32 bytes), as
 * found in the ENCRYPTION_KEYS variable. The first entry is the current key.
 */
export function parseEncryptionKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator < 1 || !KEY_ID.test(id)) {
      throw new SecretBoxError(
        `encryption key entry must look like "id:base64key" (id of letters, digits, _ or -)`,
      );
    }
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) {
      throw new SecretBoxError(
        `encryption key "${id}" must be 32 bytes of base64 (got ${key.length})`,
      );
    }
    if (keys.has(id)) throw new SecretBoxError(`encryption key "${id}" is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new SecretBoxError('at least one encryption key is required');
  return keys;
}

/** Builds a SecretBox from parsed keys; the first key in the map encrypts. */
export function createSecretBox(keys: Map<string, Buffer>): SecretBox {
  const first = keys.entries().next();
  if (first.done) throw new SecretBoxError('at least one encryption key is required');
  const [currentKeyId, currentKey] = first.value;

  return {
    currentKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      // The key id is authenticated too, so a ciphertext cannot be relabelled to another key.
      cipher.setAAD(Buffer.from(currentKeyId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [currentKeyId, iv, tag, body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4) throw new SecretBoxError('malformed ciphertext');
      const [keyId, iv, tag, body] = parts as [string, string, string, string];
      const key = keys.get(keyId);
      if (!key) throw new SecretBoxError(`ciphertext was made with unknown key "${keyId}"`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretBoxError('ciphertext failed authentication');
      }
    },
  };
}
