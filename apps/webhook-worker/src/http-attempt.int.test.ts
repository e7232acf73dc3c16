import { createServer } from 'node:net';
import { useWebhookReceiver } from '@notifykit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { pinnedLookup } from './destination-guard.ts';
import {
  createHttpAgents,
  type HttpAttemptRequest,
  RESPONSE_PREFIX_BYTES,
  RESPONSE_READ_CAP_BYTES,
  sendHttpAttempt,
} from './http-attempt.ts';

const receiver = useWebhookReceiver();
const agents = createHttpAgents();
afterAll(() => agents.destroy());

function request(url: string, overrides: Partial<HttpAttemptRequest> = {}): HttpAttemptRequest {
  return {
    url: new URL(url),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]),
    timeouts: { connectMs: 1_000, totalMs: 2_000 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('one HTTP attempt', () => {
  it('stops reading a 10 MB body at the cap and keeps a 1 KiB prefix', async () => {
    receiver.script('/big', { status: 200, streamBytes: 10 * 1024 * 1024 });
    const outcome = await sendHttpAttempt(request(receiver.url('/big')), agents);
    expect(outcome.result).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(outcome.responsePrefix).toBe('x'.repeat(RESPONSE_PREFIX_BYTES));
    expect(outcome.bytesRead).toBeGreaterThanOrEqual(RESPONSE_READ_CAP_BYTES);
    // Reading stops within one chunk of the cap (Node hands out at most 64 KiB per read).
    expect(outcome.bytesRead).toBeLessThanOrEqual(2 * RESPONSE_READ_CAP_BYTES);
  });

  it('reports the status and headers of an answer, without following a redirect', async () => {
    receiver.script('/moved', { status: 302, headers: { Location: receiver.url('/elsewhere') } });
    const outcome = await sendHttpAttempt(request(receiver.url('/moved')), agents);
    expect(outcome.result).toMatchObject({
      kind: 'response',
      statusCode: 302,
      headers: { location: receiver.url('/elsewhere') },
    });
    expect(receiver.requestsTo('/elsewhere')).toHaveLength(0);
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await sendHttpAttempt(request(`http://127.0.0.1:${port}/`), agents);
    expect(outcome.result).toEqual({ kind: 'network', message: 'connection refused' });
    expect(outcome.responsePrefix).toBeNull();
  });

  it('reports an abort (worker shutdown) as an interrupted attempt', async () => {
    receiver.script('/slow', { delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const outcome = await sendHttpAttempt(
      request(receiver.url('/slow'), { signal: controller.signal }),
      agents,
    );
    expect(outcome.result).toEqual({
      kind: 'network',
      message: 'interrupted because the worker shut down',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
