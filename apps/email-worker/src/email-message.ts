import {
  type EmailPayload,
  EmailPayloadSchema,
  isDeliverableEmailAddress,
  PLANS,
  type PlanName,
} from '@notifykit/core';
import Value from 'typebox/value';
import { htmlToText } from './html-to-text.ts';

/** A sender: an address and an optional display name. */
export interface EmailSender {
  email: string;
  name?: string;
}

/** What goes to the email provider for one job; the only place a message's content lives. */
export interface OutgoingEmail {
  to: string;
  from: EmailSender;
  subject: string;
  html: string;
  /** Plain-text alternative derived from `html`; null when the HTML has no readable text. */
  text: string | null;
  /**
   * Echoed by SendGrid in its event webhooks. It carries the job id and nothing else: no
   * personal data, and it stays the same on every attempt so duplicates can be recognised.
   */
  customArgs: { notifykit_job_id: string };
}

/** Custom argument that names the NotifyKit job in SendGrid's events. */
export const JOB_ID_CUSTOM_ARG = 'notifykit_job_id';

/**
 * Parses an operator sender setting, `address` or `Display Name <address>`; null when the
 * address is not one SendGrid can deliver from.
 */
export function parseSender(value: string): EmailSender | null {
  const trimmed = value.trim();
  const named = /^(.*?)\s*<([^<>\s]+)>$/.exec(trimmed);
  const email = named ? (named[2] ?? '') : trimmed;
  if (!isDeliverableEmailAddress(email)) return null;
  const name = named?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  return name ? { email, name } : { email };
}

/** The stored payload of an email job, or null when it is not one (a corrupted row). */
export function readEmailPayload(payload: unknown): EmailPayload | null {
  return Value.Check(EmailPayloadSchema, payload) ? payload : null;
}

/**
 * The message for one email job (CONTRACT §5): free customers always send from the operator's
 * default sender, paid ones from their own `from` when they gave one. The plan is read at send
 * time, so a customer downgraded to free after sending no longer uses their own address.
 */
export function buildOutgoingEmail(input: {
  jobId: string;
  payload: EmailPayload;
  plan: PlanName;
  defaultSender: EmailSender;
}): OutgoingEmail {
  const { payload } = input;
  const from =
    PLANS[input.plan].forcesDefaultSender || payload.from === null
      ? input.defaultSender
      : { email: payload.from };
  const text = htmlToText(payload.body);
  return {
    to: payload.to,
    from,
    subject: payload.subject,
    html: payload.body,
    text: text === '' ? null : text,
    customArgs: { [JOB_ID_CUSTOM_ARG]: input.jobId },
  };
}

/** The recipient's domain, the most a log line may say about the address. */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '(invalid)' : address.slice(at + 1).toLowerCase();
}
