import { Buffer } from 'node:buffer';
import type { EmailSendRequest, WebhookSendRequest } from './send-request-schemas.ts';
import {
  DEFAULT_WEBHOOK_PAYLOAD_MAX_BYTES,
  EMAIL_ADDRESS_MAX_LENGTH,
  EMAIL_BODY_MAX_BYTES,
} from './send-request-schemas.ts';
import { webhookHeadersProblem } from './webhook-headers.ts';
import { validateWebhookTarget, type WebhookTargetOptions } from './webhook-target.ts';

// Rules JSON Schema cannot express, applied after a request passed its TypeBox schema.

/** One validation problem, shaped like an entry of the error response's `details`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Operator settings that shape webhook request validation. */
export interface WebhookRequestRuleOptions extends WebhookTargetOptions {
  /** Cap on the payload's serialized size in bytes; defaults to 64 KiB. */
  maxPayloadBytes?: number;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// Dot-atom local part and a dotted DNS domain with a non-numeric TLD: what SendGrid will
// actually deliver to. The schema's `format: email` also admits `a@b`, IP literals and quoted
// local parts, which would only fail later, at SendGrid, as a permanent error.
const DELIVERABLE_EMAIL = new RegExp(
  `^${ATOM}(?:\\.${ATOM})*@(?:${LABEL}\\.)+(?=[A-Za-z0-9-]*[A-Za-z])${LABEL}$`,
);

/** Size of `text` encoded as UTF-8, in bytes. */
export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** True for an address SendGrid can deliver to: `local@domain.tld`, at most 254 characters. */
export function isDeliverableEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > EMAIL_ADDRESS_MAX_LENGTH) return false;
  const at = value.lastIndexOf('@');
  return at > 0 && at <= 64 && DELIVERABLE_EMAIL.test(value);
}

/** Problems of a schema-valid email request that the schema cannot catch; empty when fine. */
export function emailRequestProblems(request: EmailSendRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isDeliverableEmailAddress(request.to)) {
    problems.push({ field: 'to', message: 'to must be a valid email address' });
  }
  if (/[\r\n]/.test(request.subject)) {
    problems.push({ field: 'subject', message: 'subject must not contain line breaks' });
  }
  if (utf8ByteLength(request.body) > EMAIL_BODY_MAX_BYTES) {
    problems.push({ field: 'body', message: 'body must be at most 512 KiB (524288 bytes)' });
  }
  if (request.from !== undefined && !isDeliverableEmailAddress(request.from)) {
    problems.push({ field: 'from', message: 'from must be a valid email address' });
  }
  return problems;
}

/** Problems of a schema-valid webhook request that the schema cannot catch; empty when fine. */
export function webhookRequestProblems(
  request: WebhookSendRequest,
  options: WebhookRequestRuleOptions = {},
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const target = validateWebhookTarget(request.url, options);
  if (!target.ok) problems.push({ field: 'url', message: target.error });
  const maxBytes = options.maxPayloadBytes ?? DEFAULT_WEBHOOK_PAYLOAD_MAX_BYTES;
  if (utf8ByteLength(JSON.stringify(request.payload)) > maxBytes) {
    problems.push({
      field: 'payload',
      message: `payload must serialize to at most ${maxBytes} bytes of JSON`,
    });
  }
  if (request.headers !== undefined) {
    const problem = webhookHeadersProblem(request.headers);
    if (problem !== null) problems.push({ field: 'headers', message: problem });
  }
  return problems;
}
