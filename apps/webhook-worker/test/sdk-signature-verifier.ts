import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the official SDK's `verifyWebhookSignature(rawBody, timestamp, signature, secret)` does
 * on the wire (CONTRACT §6), reproduced for tests because the SDK is not installable here: it
 * parses `t=…,v1=…` keeping the LAST v1 entry, requires `t` to equal the timestamp header and
 * the age to be 0–300 s, and compares lowercase hex HMAC-SHA256 digests of "<ts>.<body>"
 * (keyed with the whole secret string) in constant time.
 */
export function verifyLikeSdk(
  rawBody: string,
  timestampHeader: string,
  signatureHeader: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  let t: string | undefined;
  let v1: string | undefined;
  for (const part of signatureHeader.split(',')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') t = value;
    if (key === 'v1') v1 = value;
  }
  if (t === undefined || v1 === undefined || t !== timestampHeader) return false;
  const age = nowSeconds - Number(timestampHeader);
  if (!Number.isFinite(age) || age < 0 || age > 300) return false;
  const expected = createHmac('sha256', secret)
    .update(`${timestampHeader}.${rawBody}`)
    .digest('hex');
  const given = Buffer.from(v1.toLowerCase());
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Every `v1` entry of a NotifyKit signature header (the Stripe-style "any entry" reading). */
export function notifyKitSignatures(signatureHeader: string): string[] {
  return signatureHeader
    .split(',')
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
}
