import { Buffer } from 'node:buffer';
import { createHmac, randomBytes } from 'node:crypto';

// Two signature schemes ride on every signed delivery (CONTRACT §6):
//
// NotifyKit: `X-Webhook-Signature: t=<ts>,v1=<hex>`, HMAC-SHA256 of "<ts>.<body>" keyed with
// the whole secret string. During a rotation overlap the header carries one v1 entry per
// secret, OLDEST FIRST and NEWEST LAST: `t=<ts>,v1=<old>,v1=<new>`. The official SDK's
// verifier keeps the last v1 it sees, so a receiver on the new secret verifies from the moment
// of rotation, and verifiers that accept any v1 entry (the Stripe convention) verify with either
// secret. Newest-last was chosen over oldest-last because a receiver that switched to the new
// secret would otherwise fail for up to the whole overlap, while with newest-last the gap is
// only as long as the customer takes to deploy the secret they just received.
//
// Standard Webhooks 1.0: `webhook-signature: v1,<base64> v1,<base64>`, HMAC-SHA256 of
// "<msgId>.<ts>.<body>" keyed with the base64-decoded part after `whsec_`; verifiers accept
// any entry, so order carries no meaning there (we list newest first).

/** Prefix of every signing secret NotifyKit issues. */
export const SIGNING_SECRET_PREFIX = 'whsec_';

/** Headers of the NotifyKit signature scheme. */
export interface NotifyKitSignatureHeaders {
  'X-Webhook-Timestamp': string;
  'X-Webhook-Signature': string;
}

/** Headers of the Standard Webhooks 1.0 scheme. */
export interface StandardWebhooksHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Input of {@link signNotifyKit}; with several secrets, list them newest first. */
export interface NotifyKitSigningInput {
  secret: string | readonly string[];
  /** Unix seconds at the moment the attempt is sent; never reused across attempts. */
  timestampSeconds: number;
  /** The exact request body as sent (empty string when there is none). */
  body: string;
}

/** Input of {@link signStandardWebhooks}; secrets newest first. */
export interface StandardWebhooksSigningInput {
  /** Stable message id: the job id. */
  msgId: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkTimestamp(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`timestampSeconds must be a non-negative integer, got ${seconds}`);
  }
  return String(seconds);
}

function distinctSecrets(secrets: string | readonly string[]): string[] {
  const list = typeof secrets === 'string' ? [secrets] : [...new Set(secrets)];
  if (list.length === 0) throw new TypeError('At least one signing secret is required');
  for (const secret of list) {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new TypeError('Signing secrets must be non-empty strings');
    }
  }
  return list;
}

/** The HMAC key of a secret under Standard Webhooks: the base64 after `whsec_`, decoded. */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(SIGNING_SECRET_PREFIX)
    ? secret.slice(SIGNING_SECRET_PREFIX.length)
    : secret;
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new TypeError('Signing secret must be base64 after the whsec_ prefix');
  }
  return Buffer.from(encoded, 'base64');
}

/** Hex HMAC-SHA256 of "<ts>.<body>" keyed with the whole secret string: one NotifyKit v1 value. */
export function notifyKitSignature(secret: string, timestampSeconds: number, body: string): string {
  const ts = checkTimestamp(timestampSeconds);
  return createHmac('sha256', secret).update(`${ts}.${body}`, 'utf8').digest('hex');
}

/** NotifyKit signature headers for one attempt; several secrets give several v1 entries, newest last. */
export function signNotifyKit(input: NotifyKitSigningInput): NotifyKitSignatureHeaders {
  const ts = checkTimestamp(input.timestampSeconds);
  const newestLast = distinctSecrets(input.secret).reverse();
  const entries = newestLast.map(
    (secret) => `v1=${notifyKitSignature(secret, input.timestampSeconds, input.body)}`,
  );
  return {
    'X-Webhook-Timestamp': ts,
    'X-Webhook-Signature': [`t=${ts}`, ...entries].join(','),
  };
}

/** Standard Webhooks 1.0 headers for one attempt, one `v1,<base64>` entry per secret. */
export function signStandardWebhooks(input: StandardWebhooksSigningInput): StandardWebhooksHeaders {
  const ts = checkTimestamp(input.timestampSeconds);
  if (typeof input.msgId !== 'string' || input.msgId.length === 0) {
    throw new TypeError('msgId must be a non-empty string');
  }
  const signatures = distinctSecrets(input.secrets).map((secret) => {
    const mac = createHmac('sha256', standardWebhooksKey(secret))
      .update(`${input.msgId}.${ts}.${input.body}`, 'utf8')
      .digest('base64');
    return `v1,${mac}`;
  });
  return {
    'webhook-id': input.msgId,
    'webhook-timestamp': ts,
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Every identity and signature header of one delivery: `webhook-id` always, plus both schemes
 * when the customer has at least one signing secret (secrets newest first).
 */
export function webhookDeliveryHeaders(input: {
  jobId: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): Record<string, string> {
  if (input.secrets.length === 0) return { 'webhook-id': input.jobId };
  return {
    ...signStandardWebhooks({
      msgId: input.jobId,
      timestampSeconds: input.timestampSeconds,
      body: input.body,
      secrets: input.secrets,
    }),
    ...signNotifyKit({
      secret: input.secrets,
      timestampSeconds: input.timestampSeconds,
      body: input.body,
    }),
  };
}

/** A new signing secret: `whsec_` followed by the base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}
