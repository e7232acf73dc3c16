import Type, { type Static } from 'typebox';
import { MAX_WEBHOOK_HEADERS } from './webhook-headers.ts';
import { WEBHOOK_URL_MAX_LENGTH } from './webhook-target.ts';

/** Largest email body accepted, in UTF-8 bytes (512 KiB). */
export const EMAIL_BODY_MAX_BYTES = 512 * 1024;
/** Longest subject accepted, in characters (the RFC 5322 line limit). */
export const EMAIL_SUBJECT_MAX_LENGTH = 998;
/** Longest email address accepted (the RFC 5321 path limit). */
export const EMAIL_ADDRESS_MAX_LENGTH = 254;
/** Default cap on a webhook payload's serialized size, in UTF-8 bytes (64 KiB). */
export const DEFAULT_WEBHOOK_PAYLOAD_MAX_BYTES = 64 * 1024;
/** Characters an idempotency key may use; also what the `Idempotency-Key` header must match. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:/-]{1,255}$';
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);
/** HTTP methods a webhook may use. */
export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** One of {@link WEBHOOK_METHODS}. */
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];
/** Method used when a webhook request names none. */
export const DEFAULT_WEBHOOK_METHOD: WebhookMethod = 'POST';

/** Queue priority on the wire: exactly 1, 5 or 10. */
export const PrioritySchema = Type.Union([Type.Literal(1), Type.Literal(5), Type.Literal(10)], {
  description: '1 = high, 5 = normal (default), 10 = low',
});

/** A client-chosen key that makes a send safe to repeat. */
export const IdempotencyKeySchema = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: IDEMPOTENCY_KEY_PATTERN,
  description: '1–255 characters of A–Z, a–z, 0–9 and . _ : / -',
});

/** One email address. */
export const EmailAddressSchema = Type.String({
  format: 'email',
  maxLength: EMAIL_ADDRESS_MAX_LENGTH,
});

/** A JSON object (not an array, not null); arbitrary content. */
export const JsonObjectSchema = Type.Unsafe<Record<string, unknown>>(
  Type.Object({}, { additionalProperties: true }),
);

/** Custom webhook headers: string → string, at most 20. */
export const WebhookHeadersSchema = Type.Unsafe<Record<string, string>>(
  Type.Object({}, { additionalProperties: Type.String(), maxProperties: MAX_WEBHOOK_HEADERS }),
);

/** An HTTP method a webhook may use. */
export const WebhookMethodSchema = Type.Enum(WEBHOOK_METHODS, { description: 'Defaults to POST' });

/**
 * Body of POST /api/v1/notifications/email (CONTRACT §3). The byte limit on `body` and the
 * plan rule on `from` are checked outside the schema (see send-request-rules.ts).
 */
export const EmailSendRequestSchema = Type.Object(
  {
    to: EmailAddressSchema,
    subject: Type.String({ minLength: 1, maxLength: EMAIL_SUBJECT_MAX_LENGTH }),
    // maxLength counts characters, never more than bytes, so it can only pre-filter the byte cap.
    body: Type.String({
      minLength: 1,
      maxLength: EMAIL_BODY_MAX_BYTES,
      description: 'HTML allowed; at most 512 KiB of UTF-8',
    }),
    from: Type.Optional(EmailAddressSchema),
    priority: Type.Optional(PrioritySchema),
    idempotencyKey: Type.Optional(IdempotencyKeySchema),
    provider: Type.Optional(Type.Literal('SENDGRID')),
  },
  { additionalProperties: false },
);
/** A validated email send request. */
export type EmailSendRequest = Static<typeof EmailSendRequestSchema>;

/**
 * Body of POST /api/v1/notifications/webhook (CONTRACT §3). URL safety, payload size and
 * reserved headers are checked outside the schema (see send-request-rules.ts).
 */
export const WebhookSendRequestSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX_LENGTH }),
    method: Type.Optional(WebhookMethodSchema),
    payload: JsonObjectSchema,
    headers: Type.Optional(WebhookHeadersSchema),
    priority: Type.Optional(PrioritySchema),
    idempotencyKey: Type.Optional(IdempotencyKeySchema),
  },
  { additionalProperties: false },
);
/** A validated webhook send request. */
export type WebhookSendRequest = Static<typeof WebhookSendRequestSchema>;

/** True when `value` is a well-formed idempotency key (body field or header). */
export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && IDEMPOTENCY_KEY.test(value);
}
