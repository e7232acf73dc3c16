import {
  classifySendGridAttempt,
  type HeaderMap,
  headerValue,
  type SendGridAttemptResult,
} from '@notifykit/core';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { OutgoingEmail } from './email-message.ts';
import type { EmailTransport, TransportResult } from './email-transport.ts';

// @sendgrid/mail's documented way to reach another base URL is a Client handed to setClient().

/** The longest provider answer kept in the delivery log. */
export const RESPONSE_PREFIX_MAX_CHARS = 1024;
// SendGrid's answers are a few hundred bytes; anything far larger is not SendGrid.
const MAX_RESPONSE_BYTES = 256 * 1024;

/** Settings of {@link createSendGridTransport}. */
export interface SendGridTransportOptions {
  /** Base URL of the v3 API, e.g. https://api.sendgrid.com (SENDGRID_API_URL). */
  baseUrl: string;
  /** Deadline for the whole request, connect to last byte (SENDGRID_TIMEOUT_MS). */
  timeoutMs: number;
  /** Longest wait a 429's X-RateLimit-Reset may impose (RETRY_AFTER_CAP_MS). */
  retryAfterCapMs?: number;
}

// Raw axios/ResponseError fields we read. The error objects also carry the request config,
// Authorization header included, which is why they are never logged or stored as they are.
interface ClientFailure {
  code?: unknown;
  isAxiosError?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: unknown; data?: unknown; body?: unknown };
}

function plainHeaders(headers: unknown): HeaderMap {
  if (typeof headers !== 'object' || headers === null) return {};
  const withJson = headers as { toJSON?: () => unknown };
  const plain = typeof withJson.toJSON === 'function' ? withJson.toJSON() : headers;
  return (typeof plain === 'object' && plain !== null ? plain : {}) as HeaderMap;
}

function responsePrefix(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length <= RESPONSE_PREFIX_MAX_CHARS ? text : text.slice(0, RESPONSE_PREFIX_MAX_CHARS);
}

const MAYBE_SENT = 'the email may have been sent, so the retry can deliver it twice';

function networkMessage(code: string, fallback: string): string {
  switch (code) {
    case 'ECONNRESET':
      return `the connection was reset (ECONNRESET); ${MAYBE_SENT}`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed (${code})`;
    default:
      return code === '' ? fallback : `${fallback} (${code})`;
  }
}

function toAttemptResult(
  failure: ClientFailure,
  timeoutMs: number,
  timedOut: boolean,
): { attempt: SendGridAttemptResult; body: unknown } {
  const response = failure.response;
  if (response && typeof response === 'object') {
    // ResponseError (status ≥ 400) keeps the status in `code` and the body in `body`; a bare
    // axios error (a 3xx, since redirects are not followed) has `status` and `data`.
    const status = typeof failure.code === 'number' ? failure.code : response.status;
    if (typeof status === 'number') {
      const body = 'body' in response ? response.body : response.data;
      const headers = plainHeaders(response.headers);
      return { attempt: { kind: 'response', statusCode: status, body, headers }, body };
    }
  }
  const code = typeof failure.code === 'string' ? failure.code : '';
  if (timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    const attempt: SendGridAttemptResult = {
      kind: 'timeout',
      message: `no answer within ${timeoutMs} ms; ${MAYBE_SENT}`,
    };
    return { attempt, body: undefined };
  }
  const message = typeof failure.message === 'string' ? failure.message : 'request failed';
  const attempt: SendGridAttemptResult = {
    kind: 'network',
    message: networkMessage(code, message),
  };
  return { attempt, body: undefined };
}

function isClientFailure(error: unknown): error is ClientFailure {
  if (typeof error !== 'object' || error === null) return false;
  const failure = error as ClientFailure;
  return (
    failure.isAxiosError === true || (typeof failure.code === 'number' && 'response' in failure)
  );
}

/**
 * Sends through SendGrid's v3 mail/send with @sendgrid/mail. A fresh client per send carries the
 * customer's key, so concurrent sends for different customers can never borrow each other's key.
 */
export function createSendGridTransport(options: SendGridTransportOptions): EmailTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const classify = (attempt: SendGridAttemptResult) =>
    classifySendGridAttempt(attempt, { retryAfterCapMs: options.retryAfterCapMs });
  return {
    name: 'sendgrid',
    async send(email: OutgoingEmail, context): Promise<TransportResult> {
      if (context.apiKey === null) {
        throw new Error('no SendGrid API key is configured for this send');
      }
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const client = new Client();
      client.setDefaultHeader('Authorization', `Bearer ${context.apiKey}`);
      // Passed as a variable, not a literal: the typings only list a few of the axios options
      // the client forwards (timeout, signal, redirects, response cap).
      const requestDefaults = {
        url: '',
        baseUrl,
        timeout: options.timeoutMs,
        signal: AbortSignal.any([deadline, context.signal]),
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
      };
      client.setDefaultRequest(requestDefaults);
      const mail = new MailService();
      mail.setClient(client);

      try {
        const [response] = await mail.send({
          to: email.to,
          from: email.from,
          subject: email.subject,
          ...(email.text === null ? {} : { text: email.text }),
          html: email.html,
          customArgs: email.customArgs,
        });
        const headers = plainHeaders(response.headers);
        const attempt: SendGridAttemptResult = {
          kind: 'response',
          statusCode: response.statusCode,
          body: response.body,
          headers,
        };
        return {
          outcome: classify(attempt),
          statusCode: response.statusCode,
          responsePrefix: responsePrefix(response.body),
          providerMessageId: headerValue(headers, 'x-message-id') ?? null,
        };
      } catch (error) {
        // Anything else is our own bug (a message the library refused), not SendGrid's answer.
        if (!isClientFailure(error)) throw error;
        if (context.signal.aborted && !deadline.aborted) {
          return {
            outcome: {
              kind: 'retryable',
              reason: `Delivery interrupted: the worker shut down before SendGrid answered; ${MAYBE_SENT}`,
            },
            statusCode: null,
            responsePrefix: null,
            providerMessageId: null,
          };
        }
        const { attempt, body } = toAttemptResult(error, options.timeoutMs, deadline.aborted);
        if (attempt.kind !== 'response') {
          context.logger.warn(
            { failure: attempt.kind },
            attempt.kind === 'timeout' || attempt.message.includes('ECONNRESET')
              ? 'SendGrid outcome unknown: the email may have been sent; retrying (at-least-once)'
              : 'could not reach SendGrid; retrying',
          );
        }
        return {
          outcome: classify(attempt),
          statusCode: attempt.kind === 'response' ? attempt.statusCode : null,
          responsePrefix: responsePrefix(body),
          providerMessageId: null,
        };
      }
    },
  };
}
