import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mailSendProblems, type SendGridErrorItem } from './sendgrid-mail-shape.ts';

export type { SendGridErrorItem } from './sendgrid-mail-shape.ts';

/** What the server does with one request. */
export type SendGridServerBehaviour =
  /** Answer with this status, these headers and this body (an object is sent as JSON). */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Read the request, then never answer (the client's timeout is the only way out). */
  | { kind: 'hang' }
  /** Read the request, then reset the TCP connection (the client sees ECONNRESET). */
  | { kind: 'reset' }
  /** Behave like SendGrid: check the key and the request shape, then 202 with X-Message-Id. */
  | { kind: 'sendgrid' };

/** One request as the server received it, and what it did about it. */
export interface ReceivedSendGridRequest {
  method: string;
  /** Path and query string as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The bearer token, or null when there was no `Authorization: Bearer` header. */
  apiKey: string | null;
  /** Whether `apiKey` is one of the configured keys. */
  authorized: boolean;
  rawBody: string;
  /** Parsed JSON body; undefined when the body was not JSON. */
  body: unknown;
  /** What SendGrid would reject in the body, `Bad Request` when it is not JSON; empty = well-formed. */
  problems: SendGridErrorItem[];
  /** The status answered, or how the request was left. */
  answer: number | 'hang' | 'reset';
  /** X-Message-Id of a 202 answered by the default behaviour, else null. */
  messageId: string | null;
  receivedAt: Date;
}

/** A running local SendGrid-compatible server. */
export interface SendGridServer {
  /** Base URL to give the SendGrid client (`http://127.0.0.1:<port>`), without a trailing slash. */
  readonly url: string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly ReceivedSendGridRequest[];
  /** Queues behaviours for the next requests, one request each, in order. */
  script(...behaviours: SendGridServerBehaviour[]): void;
  /** What to do once the script is used up; initially `{ kind: 'sendgrid' }`. */
  setFallback(behaviour: SendGridServerBehaviour): void;
  /** Replaces the set of keys that authenticate. */
  setApiKeys(keys: readonly string[]): void;
  /** Resolves once at least `count` requests have been received; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedSendGridRequest[]>;
  /** Forgets recorded requests and the script, and restores the default fallback. */
  clear(): void;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

/** Options of {@link startSendGridServer}. */
export interface SendGridServerOptions {
  /** Keys accepted as `Authorization: Bearer <key>`. */
  apiKeys: readonly string[];
}

const MAIL_SEND_PATH = '/v3/mail/send';
// What SendGrid says about a body it cannot parse.
const NOT_JSON: SendGridErrorItem = { message: 'Bad Request', field: null, help: null };
// SendGrid's own ceiling for a whole message, attachments included.
const MAX_BODY_BYTES = 30 * 1024 * 1024;

/** A SendGrid-style error answer, for scripting: `{errors: [{message, field, help}]}`. */
export function sendGridErrorResponse(
  status: number,
  message: string,
  options: { field?: string | null; headers?: Record<string, string> } = {},
): SendGridServerBehaviour {
  return {
    kind: 'respond',
    status,
    headers: options.headers,
    body: { errors: [{ message, field: options.field ?? null, help: null }] },
  };
}

function errorBody(items: SendGridErrorItem[]): { errors: SendGridErrorItem[] } {
  return { errors: items };
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType =
    body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' };
  response.writeHead(status, {
    ...contentType,
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

function readBody(request: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function newMessageId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/**
 * Starts a real HTTP server on 127.0.0.1 (random port) that speaks SendGrid's v3 mail/send:
 * bearer-key check (401), request-shape check (400 with an errors array), 202 with an
 * X-Message-Id. It records every request and can be scripted to answer anything, hang or reset.
 */
export async function startSendGridServer(options: SendGridServerOptions): Promise<SendGridServer> {
  let validKeys = new Set(options.apiKeys);
  let script: SendGridServerBehaviour[] = [];
  let fallback: SendGridServerBehaviour = { kind: 'sendgrid' };
  const requests: ReceivedSendGridRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();

  const record = (entry: ReceivedSendGridRequest) => {
    requests.push(entry);
    for (const waiter of waiters) waiter();
  };

  const behaveLikeSendGrid = (
    entry: ReceivedSendGridRequest,
    contentType: string,
    tooLarge: boolean,
    response: ServerResponse,
  ) => {
    const answer = (status: number, headers: Record<string, string>, body: unknown) => {
      entry.answer = status;
      send(response, status, headers, body);
    };
    if (entry.method !== 'POST' || entry.path.split('?')[0] !== MAIL_SEND_PATH) {
      answer(404, {}, errorBody([{ message: 'Not found', field: null, help: null }]));
    } else if (entry.apiKey === null) {
      answer(401, {}, errorBody([{ message: 'authorization required', field: null, help: null }]));
    } else if (!entry.authorized) {
      const message = 'The provided authorization grant is invalid, expired, or revoked';
      answer(401, {}, errorBody([{ message, field: null, help: null }]));
    } else if (tooLarge) {
      answer(413, {}, errorBody([{ message: 'Payload Too Large', field: null, help: null }]));
    } else if (!contentType.toLowerCase().startsWith('application/json')) {
      const message = 'Content-Type should be application/json.';
      answer(400, {}, errorBody([{ message, field: null, help: null }]));
    } else if (entry.problems.length > 0) {
      answer(400, {}, errorBody(entry.problems));
    } else {
      entry.messageId = newMessageId();
      answer(202, { 'x-message-id': entry.messageId }, undefined);
    }
  };

  const server = createServer(async (request, response) => {
    let body: { text: string; tooLarge: boolean };
    try {
      body = await readBody(request);
    } catch {
      return; // the client went away mid-body; nothing to answer
    }
    const apiKey = bearerToken(request.headers);
    const parsed = body.tooLarge ? undefined : parseJson(body.text);
    const entry: ReceivedSendGridRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      apiKey,
      authorized: apiKey !== null && validKeys.has(apiKey),
      rawBody: body.text,
      body: parsed,
      problems: parsed === undefined ? [NOT_JSON] : mailSendProblems(parsed),
      answer: 'hang',
      messageId: null,
      receivedAt: new Date(),
    };
    const behaviour = script.shift() ?? fallback;
    switch (behaviour.kind) {
      case 'hang':
        break;
      case 'reset':
        entry.answer = 'reset';
        request.socket.resetAndDestroy();
        break;
      case 'respond':
        entry.answer = behaviour.status;
        send(response, behaviour.status, behaviour.headers ?? {}, behaviour.body);
        break;
      case 'sendgrid':
        behaveLikeSendGrid(entry, request.headers['content-type'] ?? '', body.tooLarge, response);
        break;
    }
    record(entry);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...behaviours) {
      script.push(...behaviours);
    },
    setFallback(behaviour) {
      fallback = behaviour;
    },
    setApiKeys(keys) {
      validKeys = new Set(keys);
    },
    waitForRequests(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return false;
          waiters.delete(onRequest);
          clearTimeout(timer);
          resolve([...requests]);
          return true;
        };
        const onRequest = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(onRequest);
          reject(
            new Error(
              `expected ${count} SendGrid request(s) within ${timeoutMs} ms, got ${requests.length}`,
            ),
          );
        }, timeoutMs);
        waiters.add(onRequest);
        check();
      });
    },
    clear() {
      requests.length = 0;
      script = [];
      fallback = { kind: 'sendgrid' };
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A hanging request keeps its socket open forever; close() would wait for it.
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
