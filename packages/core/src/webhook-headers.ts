/** Most custom headers one webhook may carry (CONTRACT §3). */
export const MAX_WEBHOOK_HEADERS = 20;

/** Header names NotifyKit sets itself on every delivery; customers may not supply them. */
export const RESERVED_WEBHOOK_HEADERS = [
  'Host',
  'Content-Length',
  'Content-Type',
  'Transfer-Encoding',
  'Connection',
  'User-Agent',
  'X-Webhook-Timestamp',
  'X-Webhook-Signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
] as const;

/** What job responses show instead of a custom header's value. */
export const MASKED_HEADER_VALUE = '***';

const RESERVED = new Set(RESERVED_WEBHOOK_HEADERS.map((name) => name.toLowerCase()));
// RFC 9110 token: the only characters a field name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Same rule Node's http module applies before sending; anything else would fail every attempt.
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/** True when `name` is one of {@link RESERVED_WEBHOOK_HEADERS}, ignoring case. */
export function isReservedWebhookHeader(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** The first reserved header name in `headers`, as the customer spelled it, or null. */
export function findReservedHeader(headers: Readonly<Record<string, string>>): string | null {
  return Object.keys(headers).find(isReservedWebhookHeader) ?? null;
}

/**
 * The first problem with custom webhook headers as a sentence naming the field, or null:
 * too many, an invalid name or value, a name given twice in different case, or a reserved name.
 */
export function webhookHeadersProblem(headers: Readonly<Record<string, string>>): string | null {
  const names = Object.keys(headers);
  if (names.length > MAX_WEBHOOK_HEADERS) {
    return `headers must not contain more than ${MAX_WEBHOOK_HEADERS} entries`;
  }
  const seen = new Set<string>();
  for (const name of names) {
    const value = headers[name];
    if (!HEADER_NAME.test(name)) return `headers contains an invalid header name: "${name}"`;
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      return `headers.${name} must be a string without line breaks or control characters`;
    }
    if (isReservedWebhookHeader(name)) {
      return `headers.${name} is set by NotifyKit and cannot be overridden`;
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      return `headers contains ${name} more than once (header names are case-insensitive)`;
    }
    seen.add(lower);
  }
  return null;
}

/** Copy of `headers` with every value replaced by {@link MASKED_HEADER_VALUE}, for responses. */
export function maskHeaderValues(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_HEADER_VALUE]));
}
