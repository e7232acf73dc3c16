import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './envelope.ts';

/** What Node's HTTP parser refused (its error code), as status and sentence. */
export function describeClientError(code: string | undefined): { status: number; error: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'Request timed out' };
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, error: 'Request URL or headers are too large' };
  }
  return { status: 400, error: 'Request is not valid HTTP' };
}

/**
 * Answers requests Node's HTTP parser refuses before Fastify sees them (a URL or headers over
 * the header size limit, a malformed request line, a header timeout) with the contract's error
 * envelope and an X-Request-Id, instead of Fastify's own `{error, message, statusCode}`.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, error: sentence } = describeClientError(error.code);
    const body = JSON.stringify(errorBody(sentence));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
