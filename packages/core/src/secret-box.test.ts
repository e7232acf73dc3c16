import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseEncryptionKeys, SecretBoxError } from './secret-box.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('secret box', () => {
  it('round-trips and never produces the same ciphertext twice', () => {
    const box = createSecretBox(parseEncryptionKeys(`v1:${k1}`));
    const a = box.encrypt('SG.secret-value');
    const b = box.encrypt('SG.secret-value');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-value');
    expect(a.startsWith('v1.')).toBe(true);
    expect(box.decrypt(a)).toBe('SG.secret-value');
  });

  it('decrypts with an older key after rotation and encrypts with the first', () => {
    const old = createSecretBox(parseEncryptionKeys(`v1:${k1}`));
    const sealed = old.encrypt('whsec_abc');
    const rotated = createSecretBox(parseEncryptionKeys(`v2:${k2},v1:${k1}`));
    expect(rotated.currentKeyId).toBe('v2');
    expect(rotated.decrypt(sealed)).toBe('whsec_abc');
    expect(rotated.encrypt('x').startsWith('v2.')).toBe(true);
  });

  it('rejects tampering, unknown keys, relabelling and malformed input', () => {
    const box = createSecretBox(parseEncryptionKeys(`v1:${k1},v2:${k2}`));
    const sealed = box.encrypt('hello');
    const [id, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.decrypt([id, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(
      SecretBoxError,
    );
    expect(() => box.decrypt(['v2', iv, tag, body].join('.'))).toThrow('failed authentication');
    expect(() => box.decrypt(['v9', iv, tag, body].join('.'))).toThrow('unknown key "v9"');
    expect(() => box.decrypt('nonsense')).toThrow('malformed ciphertext');
  });

  it('validates the key list', () => {
    expect(() => parseEncryptionKeys('')).toThrow('at least one');
    expect(() => parseEncryptionKeys('v1:c2hvcnQ=')).toThrow('32 bytes');
    expect(() => parseEncryptionKeys(`:${k1}`)).toThrow('id:base64key');
    expect(() => parseEncryptionKeys(`v1:${k1},v1:${k2}`)).toThrow('listed twice');
  });
});
