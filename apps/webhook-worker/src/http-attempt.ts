import { Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookAttemptResult } from '@notifykit/core';
import got, { type RequestError } from 'got';

/** Most response bytes an attempt reads; the rest is never received (CONTRACT §6). */
export const RESPONSE_READ_CAP_BYTES = 64 * 1024;
/** How much of the response the delivery log keeps. */
export const RESPONSE_PREFIX_BYTES = 1024;

/** Time limits of one attempt. */
export interface HttpTimeouts {
  /** TCP (and TLS) connection set-up. */
  connectMs: number;
  /** The whole attempt, from sending to the last byte read. */
  totalMs: number;
}

/** One HTTP request of a webhook delivery. */
export interface HttpAttemptRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  /** Absent for GET and DELETE. */
  body: string | undefined;
  /** Connects only where the destination guard looked. */
  lookup: LookupFunction;
  timeouts: HttpTimeouts;
  /** Aborts the attempt (worker shutdown past its grace period). */
  signal: AbortSignal;
}

/** What came back, ready for classification and the delivery log. */
export interface HttpAttemptOutcome {
  result: WebhookAttemptResult;
  /** Up to {@link RESPONSE_PREFIX_BYTES} of the body, as text; null without a response. */
  responsePrefix: string | null;
  /** Body bytes received before reading stopped (never much beyond the cap). */
  bytesRead: number;
}

interface ResponseHead {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

/** Keep-alive connection pools shared by every attempt of one worker process. */
export interface HttpAgents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

/** Creates the worker's connection pools; destroy them at shutdown. */
export function createHttpAgents(): HttpAgents {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  HPE_INVALID_CONSTANT: 'the response was not valid HTTP',
};

function describeTimeout(error: RequestError & { event?: string }, timeouts: HttpTimeouts) {
  return error.event === 'connect' || error.event === 'secureConnect'
    ? `could not connect within ${timeouts.connectMs} ms`
    : `no response within ${timeouts.totalMs} ms`;
}

function transportFailure(error: unknown, request: HttpAttemptRequest): WebhookAttemptResult {
  if (request.signal.aborted) {
    return { kind: 'network', message: 'interrupted because the worker shut down' };
  }
  const failure = error as RequestError & { event?: string };
  if (failure.name === 'TimeoutError') {
    return { kind: 'timeout', message: describeTimeout(failure, request.timeouts) };
  }
  const code = typeof failure.code === 'string' ? failure.code : 'unknown error';
  const known = NETWORK_ERRORS[code];
  if (known) return { kind: 'network', message: known };
  if (code.startsWith('ERR_TLS') || /CERT|SSL/.test(code)) {
    return { kind: 'network', message: `TLS handshake failed (${code})` };
  }
  return { kind: 'network', message: code };
}

function prefixText(bytes: Buffer): string {
  // Postgres text cannot hold NUL, and a prefix is for humans anyway.
  return bytes.toString('utf8').replaceAll('\u0000', '');
}

/**
 * Sends one webhook request: no redirects followed, no retries (BullMQ owns them), no
 * decompression, explicit timeouts, and at most {@link RESPONSE_READ_CAP_BYTES} of body read
 * before the connection is dropped. Never throws for transport problems; it reports them.
 */
export async function sendHttpAttempt(
  request: HttpAttemptRequest,
  agents: HttpAgents,
): Promise<HttpAttemptOutcome> {
  const stream = got.stream(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    dnsLookup: request.lookup,
    agent: { http: agents.http, https: agents.https },
    followRedirect: false,
    retry: { limit: 0 },
    throwHttpErrors: false,
    decompress: false,
    timeout: {
      connect: request.timeouts.connectMs,
      secureConnect: request.timeouts.connectMs,
      request: request.timeouts.totalMs,
    },
    signal: request.signal,
  });

  // Held in an object: TypeScript would otherwise narrow a `let` assigned in a callback to null.
  const head: { response: ResponseHead | null } = { response: null };
  stream.once('response', (incoming: ResponseHead) => {
    head.response = { statusCode: incoming.statusCode, headers: incoming.headers };
  });

  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bytesRead = 0;
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      bytesRead += bytes.length;
      if (keptBytes < RESPONSE_PREFIX_BYTES) {
        const slice = bytes.subarray(0, RESPONSE_PREFIX_BYTES - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
      // Leaving the loop destroys the stream: the rest of the body is never downloaded.
      if (bytesRead >= RESPONSE_READ_CAP_BYTES) break;
    }
  } catch (error) {
    // A response whose body broke off half-way still carries its status.
    if (head.response === null) {
      return { result: transportFailure(error, request), responsePrefix: null, bytesRead };
    }
  }
  if (head.response === null) {
    return {
      result: { kind: 'network', message: 'the connection closed without a response' },
      responsePrefix: null,
      bytesRead,
    };
  }
  const { statusCode, headers } = head.response;
  return {
    result: { kind: 'response', statusCode, headers },
    responsePrefix: prefixText(Buffer.concat(kept)),
    bytesRead,
  };
}
