import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Returns a check of presented tokens against the operator's ADMIN_TOKEN. Both sides are
 * hashed first so the constant-time comparison always sees two 32-byte buffers: neither timing
 * nor an early length mismatch reveals anything about the token.
 */
export function createAdminTokenCheck(adminToken: string): (presented: string) => boolean {
  const expected = digest(adminToken);
  return (presented) => timingSafeEqual(digest(presented), expected);
}
