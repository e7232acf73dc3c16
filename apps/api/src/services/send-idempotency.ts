import { IDEMPOTENCY_KEY_PATTERN, type JobType, requestFingerprint } from '@notifykit/core';
import Type from 'typebox';
import { badRequest } from '../http/api-error.ts';

/** The 422 sentence of CONTRACT §3 (exact string). */
export const IDEMPOTENCY_CONFLICT_MESSAGE =
  'Idempotency key has already been used with a different request';

const KEY_MISMATCH_MESSAGE =
  'idempotencyKey must equal the Idempotency-Key header when both are sent';

/** Request headers of both send endpoints; Fastify wants header names in lowercase. */
export const SendHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: IDEMPOTENCY_KEY_PATTERN,
      description: 'Same as the body field idempotencyKey; send either or both (then equal).',
      errorMessage: 'Idempotency-Key header must be 1–255 characters of A-Z a-z 0-9 . _ : / -',
    }),
  ),
});

/**
 * The request's idempotency key from the header and/or the body field. Both may be sent (some
 * HTTP clients add the header for every POST), but then they must agree: silently picking one
 * would make a replay depend on which of them the client changed.
 */
export function resolveIdempotencyKey(
  headerKey: string | undefined,
  bodyKey: string | undefined,
): string | undefined {
  if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey) {
    throw badRequest(KEY_MISMATCH_MESSAGE, [
      { field: 'idempotencyKey', message: KEY_MISMATCH_MESSAGE },
    ]);
  }
  return headerKey ?? bodyKey;
}

/**
 * What decides "same request" for idempotent replay: the endpoint and the canonical body,
 * without the key itself (it is the lookup, not part of the request's meaning).
 */
export function sendFingerprint(type: JobType, body: { idempotencyKey?: string }): string {
  const { idempotencyKey: _key, ...rest } = body;
  return requestFingerprint({ type, body: rest });
}
