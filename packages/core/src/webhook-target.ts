import type { AllowedDestinations } from './allowed-destinations.ts';
import { nonPublicAddressKind, parseIpAddress } from './private-address.ts';

/** Longest webhook URL accepted (CONTRACT §3). */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** Operator switches that loosen webhook destination rules (both off in production). */
export interface WebhookTargetOptions {
  /** Accept plain http:// URLs. */
  allowHttp?: boolean;
  /** Accept private, loopback, link-local and other internal destinations. */
  allowPrivate?: boolean;
  /** The operator's allow-list (WEBHOOK_ALLOWED_HOSTS): internal targets accepted anyway. */
  allowed?: AllowedDestinations;
}

/** True when the operator listed this host name, or this literal address, as allowed. */
function isOperatorAllowed(hostname: string, allowed: AllowedDestinations | undefined): boolean {
  if (!allowed || allowed.isEmpty) return false;
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return allowed.allowsHost(bare) || allowed.allowsAddress(bare);
}

/** Outcome of {@link validateWebhookTarget}: the parsed URL, or a sentence naming the field. */
export type WebhookTargetResult = { ok: true; url: URL } | { ok: false; error: string };

// The WHATWG parser silently drops tabs and newlines and trims spaces; a URL that only
// becomes valid after such repairs is refused rather than stored in a form nobody typed.
function hasWhitespaceOrControl(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || /\s/.test(char)) return true;
  }
  return false;
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Checks a webhook `url` as far as possible without DNS: absolute, https (http only when
 * allowed), no userinfo, at most 2048 chars, and not a literal internal address or localhost.
 */
export function validateWebhookTarget(
  url: unknown,
  options: WebhookTargetOptions = {},
): WebhookTargetResult {
  if (typeof url !== 'string') return { ok: false, error: 'url must be a string' };
  if (url.length > WEBHOOK_URL_MAX_LENGTH) {
    return { ok: false, error: `url must be at most ${WEBHOOK_URL_MAX_LENGTH} characters long` };
  }
  if (hasWhitespaceOrControl(url)) {
    return { ok: false, error: 'url must not contain whitespace or control characters' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: 'url must be an absolute URL such as https://example.com/hook' };
  }
  const protocolAllowed =
    parsed.protocol === 'https:' || (options.allowHttp === true && parsed.protocol === 'http:');
  if (!protocolAllowed) {
    const expected = options.allowHttp === true ? 'https:// or http://' : 'https://';
    return { ok: false, error: `url must start with ${expected}` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, error: 'url must not contain a username or password' };
  }
  if (options.allowPrivate !== true && !isOperatorAllowed(parsed.hostname, options.allowed)) {
    const host = parsed.hostname;
    if (isLocalhostName(host)) {
      return {
        ok: false,
        error: `url points to ${host}, a loopback destination, which is not allowed`,
      };
    }
    if (parseIpAddress(host) !== null) {
      const kind = nonPublicAddressKind(host);
      if (kind !== null) {
        return {
          ok: false,
          error: `url points to ${host}, ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address, which is not allowed`,
        };
      }
    }
  }
  return { ok: true, url: parsed };
}
