import Type, { type Static } from 'typebox';
import {
  DEFAULT_WEBHOOK_METHOD,
  type EmailSendRequest,
  JsonObjectSchema,
  WebhookHeadersSchema,
  WebhookMethodSchema,
  type WebhookSendRequest,
} from './send-request-schemas.ts';

/** What an email job stores and shows as `payload`: the request with `from` made explicit. */
export const EmailPayloadSchema = Type.Object(
  {
    to: Type.String(),
    subject: Type.String(),
    body: Type.String(),
    from: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
/** Stored payload of an email job. */
export type EmailPayload = Static<typeof EmailPayloadSchema>;

/** What a webhook job stores and shows as `payload`, with defaults applied. */
export const WebhookPayloadSchema = Type.Object(
  {
    url: Type.String(),
    method: WebhookMethodSchema,
    headers: WebhookHeadersSchema,
    payload: JsonObjectSchema,
  },
  { additionalProperties: false },
);
/** Stored payload of a webhook job. */
export type WebhookPayload = Static<typeof WebhookPayloadSchema>;

/** Either kind of stored payload. */
export const JobPayloadSchema = Type.Union([EmailPayloadSchema, WebhookPayloadSchema]);
/** Stored payload of any job. */
export type JobPayload = Static<typeof JobPayloadSchema>;

/** The payload an email job stores for a validated request; absent `from` becomes null. */
export function toEmailPayload(request: EmailSendRequest): EmailPayload {
  return {
    to: request.to,
    subject: request.subject,
    body: request.body,
    from: request.from ?? null,
  };
}

/** The payload a webhook job stores for a validated request, with method and headers defaulted. */
export function toWebhookPayload(request: WebhookSendRequest): WebhookPayload {
  return {
    url: request.url,
    method: request.method ?? DEFAULT_WEBHOOK_METHOD,
    headers: { ...(request.headers ?? {}) },
    payload: request.payload,
  };
}
