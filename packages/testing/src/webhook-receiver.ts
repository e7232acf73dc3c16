import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { useFileScoped } from './file-scoped.ts';

/** How the receiver answers one request. */
export interface ReceiverReply {
  /** Defaults to 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Defaults to "ok". */
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up or the receiver closes). */
  hang?: boolean;
  /** Stream a body of this many bytes instead of `body`, honouring backpressure. */
  streamBytes?: number;
}

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact body bytes as UTF-8, for signature checks. */
  body: string;
  /** Epoch ms when the request's body had arrived. */
  receivedAt: number;
  /** Filled in when the reply ends: whether all of it was sent, and how many bytes were. */
  reply: { finished: boolean; bytesWritten: number } | null;
}

/** A real HTTP server on a loopback port that records requests and answers as scripted. */
export interface WebhookReceiver {
  /** `http://<host>:<port>` */
  readonly origin: string;
  readonly port: number;
  /** `origin + path`. */
  url(path: string): string;
  /** Every request so far, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  requestsTo(path: string): ReceivedRequest[];
  /** TCP connections accepted so far (a refused destination must leave this unchanged). */
  readonly connectionCount: number;
  /** Requests currently being answered. */
  readonly inFlight: number;
  /** Replies for `path` in order; the last one repeats. Unscripted paths answer 200 "ok". */
  script(path: string, ...replies: ReceiverReply[]): void;
  /** Resolves once `path` has received `count` requests; rejects after `timeoutMs`. */
  waitForRequests(path: string, count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

const STREAM_CHUNK = Buffer.alloc(16 * 1024, 'x');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function streamBody(response: ServerResponse, total: number): Promise<void> {
  const closed = new Promise<void>((resolve) => response.once('close', resolve));
  let left = total;
  while (left > 0 && !response.destroyed) {
    const chunk = left >= STREAM_CHUNK.length ? STREAM_CHUNK : STREAM_CHUNK.subarray(0, left);
    left -= chunk.length;
    if (response.write(chunk)) continue;
    // Backpressure: wait until the client reads, or hangs up.
    await new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done);
        resolve();
      };
      response.on('drain', done);
      void closed.then(done);
    });
  }
  if (!response.destroyed) response.end();
}

/** Starts a receiver on `host` (default 127.0.0.1) and an ephemeral port. */
export async function startWebhookReceiver(
  options: { host?: string } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, ReceiverReply[]>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let connectionCount = 0;
  let inFlight = 0;

  const nextReply = (path: string): ReceiverReply => {
    const replies = scripts.get(path);
    if (!replies || replies.length === 0) return {};
    return replies.length > 1 ? (replies.shift() ?? {}) : (replies[0] ?? {});
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const record: ReceivedRequest = {
      method: request.method ?? '',
      path,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
      reply: null,
    };
    requests.push(record);
    for (const wake of waiters) wake();

    const reply = nextReply(path);
    if (reply.hang) return;
    inFlight++;
    // Sockets are reused across requests (keep-alive), so count this reply's share only.
    const socket = response.socket;
    const writtenBefore = socket?.bytesWritten ?? 0;
    response.once('close', () => {
      inFlight--;
      record.reply = {
        finished: response.writableFinished,
        bytesWritten: (socket?.bytesWritten ?? 0) - writtenBefore,
      };
    });
    if (reply.delayMs) await sleep(reply.delayMs);
    if (response.destroyed) return;
    response.writeHead(reply.status ?? 200, reply.headers ?? {});
    if (reply.streamBytes !== undefined) await streamBody(response, reply.streamBytes);
    else response.end(reply.body ?? 'ok');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  const origin = `http://${host}:${port}`;

  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    get requests() {
      return requests;
    },
    requestsTo: (path) => requests.filter((request) => request.path === path),
    get connectionCount() {
      return connectionCount;
    },
    get inFlight() {
      return inFlight;
    },
    script(path, ...replies) {
      scripts.set(path, [...replies]);
    },
    waitForRequests(path, count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const seen = requests.filter((request) => request.path === path);
          if (seen.length < count) return;
          cleanup();
          resolve(seen);
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = requests.filter((request) => request.path === path).length;
          reject(new Error(`${path} received ${seen} of ${count} requests in ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Registers hooks that start a receiver for the calling test file and close it at the end. */
export function useWebhookReceiver(options: { host?: string } = {}): WebhookReceiver {
  const current = useFileScoped({
    what: 'The webhook receiver',
    create: () => startWebhookReceiver(options),
    dispose: (receiver) => receiver.close(),
  });
  return {
    get origin() {
      return current().origin;
    },
    get port() {
      return current().port;
    },
    url: (path) => current().url(path),
    get requests() {
      return current().requests;
    },
    requestsTo: (path) => current().requestsTo(path),
    get connectionCount() {
      return current().connectionCount;
    },
    get inFlight() {
      return current().inFlight;
    },
    script: (path, ...replies) => current().script(path, ...replies),
    waitForRequests: (path, count, timeoutMs) => current().waitForRequests(path, count, timeoutMs),
    close: () => current().close(),
  };
}
