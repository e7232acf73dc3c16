import { createHash, randomBytes } from 'node:crypto';

/** `nh_` followed by 64 lowercase hex characters (CONTRACT §2). */
export const API_KEY_PATTERN = /^nh_[0-9a-f]{64}$/;

/** SHA-256 of a plaintext key, lowercase hex: the only form in which keys are stored. */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

/** A new key: the plaintext (shown once) and what is stored. */
export function generateApiKey(): { plaintext: string; keyHash: string; lastFour: string } {
  const plaintext = `nh_${randomBytes(32).toString('hex')}`;
  return { plaintext, keyHash: hashApiKey(plaintext), lastFour: plaintext.slice(-4) };
}
