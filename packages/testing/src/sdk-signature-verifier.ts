import { createHmac, timingSafeEqual } from 'node:crypto';

// The official SDK is not installable here, so tests reproduce its verifier from the contract.

/** The SDK accepts a signature whose timestamp is at most this old (CONTRACT §6). */
export const SDK_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The SDK's `verifyWebhookSignature` (CONTRACT §6): parses `t=…,v1=<hex>` keeping the LAST v1,
 * requires `t` to equal the timestamp header and the age to be 0–300 s, and compares the hex
 * HMAC-SHA256 of "<ts>.<rawBody>" (keyed with the whole secret string) in constant time.
 */
export function verifyWebhookSignature(
  rawBody: string,
  timestampHeader: string,
  signatureHeader: string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
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
  const timestamp = Number(timestampHeader);
  if (!Number.isInteger(timestamp)) return false;
  const age = nowSeconds - timestamp;
  if (age < 0 || age > SDK_SIGNATURE_TOLERANCE_SECONDS) return false;
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
