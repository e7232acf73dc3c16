import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type SendGridServer,
  sendGridErrorResponse,
  startSendGridServer,
} from './sendgrid-server.ts';

const KEY = 'SG.valid-test-key';
let server: SendGridServer;

beforeAll(async () => {
  server = await startSendGridServer({ apiKeys: [KEY] });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.clear();
  server.setApiKeys([KEY]);
});

const validMail = () => ({
  personalizations: [{ to: [{ email: 'reader@example.com' }] }],
  from: { email: 'sender@example.com', name: 'Sender' },
  subject: 'Hello',
  content: [
    { type: 'text/plain', value: 'Hi' },
    { type: 'text/html', value: '<p>Hi</p>' },
  ],
  custom_args: { notifykit_job_id: 'job_1' },
});

function post(body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${server.url}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

describe('local SendGrid server, default behaviour', () => {
  it('accepts a well-formed request with 202 and an X-Message-Id, and records it', async () => {
    const response = await post(validMail());
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    const messageId = response.headers.get('x-message-id');
    expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    expect(server.requests).toHaveLength(1);
    const [received] = server.requests;
    expect(received?.method).toBe('POST');
    expect(received?.path).toBe('/v3/mail/send');
    expect(received?.apiKey).toBe(KEY);
    expect(received?.authorized).toBe(true);
    expect(received?.body).toEqual(validMail());
    expect(received?.problems).toEqual([]);
    expect(received?.answer).toBe(202);
    expect(received?.messageId).toBe(messageId);
  });

  it('answers 401 without a bearer key and with an unknown one', async () => {
    const missing = await post(validMail(), { authorization: '' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      errors: [{ message: 'authorization required', field: null, help: null }],
    });

    const wrong = await post(validMail(), { authorization: 'Bearer SG.other' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      errors: [
        {
          message: 'The provided authorization grant is invalid, expired, or revoked',
          field: null,
          help: null,
        },
      ],
    });
    expect(server.requests.map((r) => [r.apiKey, r.authorized, r.answer])).toEqual([
      [null, false, 401],
      ['SG.other', false, 401],
    ]);
  });

  it('lists every shape problem in a 400 errors array, with SendGrid field paths', async () => {
    const response = await post({
      personalizations: [{ to: [{ email: 'not-an-address' }] }],
      subject: '',
      content: [
        { type: 'text/html', value: '<p>x</p>' },
        { type: 'text/plain', value: '' },
      ],
      custom_args: { notifykit_job_id: 42 },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string | null }[] };
    expect(body.errors.map((error) => error.field)).toEqual([
      'personalizations.0.to.0.email',
      'from',
      'subject',
      'content.1.value',
      'content',
      'custom_args.notifykit_job_id',
    ]);
    expect(server.requests[0]?.problems).toEqual(body.errors);
  });

  it('answers 400 Bad Request to a body that is not JSON, and 404 off the mail/send path', async () => {
    const broken = await post('{"personalizations":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      errors: [{ message: 'Bad Request', field: null, help: null }],
    });
    expect(server.requests[0]?.body).toBeUndefined();
    expect(server.requests[0]?.problems).toEqual([
      { message: 'Bad Request', field: null, help: null },
    ]);
    expect(server.requests[0]?.rawBody).toBe('{"personalizations":');

    const elsewhere = await fetch(`${server.url}/v3/templates`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(elsewhere.status).toBe(404);
  });

  it('accepts keys set after start and forgets the old ones', async () => {
    server.setApiKeys(['SG.rotated']);
    expect((await post(validMail())).status).toBe(401);
    expect((await post(validMail(), { authorization: 'Bearer SG.rotated' })).status).toBe(202);
  });
});

describe('local SendGrid server, scripted', () => {
  it('answers scripted statuses, headers and bodies in order, then behaves like SendGrid', async () => {
    server.script(
      sendGridErrorResponse(429, 'too many requests', {
        headers: { 'X-RateLimit-Reset': '1700000000' },
      }),
      { kind: 'respond', status: 503, body: 'upstream down' },
    );
    const limited = await post(validMail());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-reset')).toBe('1700000000');
    expect(await limited.json()).toEqual({
      errors: [{ message: 'too many requests', field: null, help: null }],
    });
    const down = await post(validMail());
    expect(down.status).toBe(503);
    expect(await down.text()).toBe('upstream down');
    expect((await post(validMail())).status).toBe(202);
    expect(server.requests.map((r) => r.answer)).toEqual([429, 503, 202]);
  });

  it('resets the connection when told to', async () => {
    server.script({ kind: 'reset' });
    const error = await post(validMail()).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    expect(server.requests[0]?.answer).toBe('reset');
    expect(server.requests[0]?.body).toEqual(validMail());
  });

  it('hangs when told to, until the client gives up', async () => {
    server.setFallback({ kind: 'hang' });
    const started = Date.now();
    const error = await post(validMail(), {}, AbortSignal.timeout(300)).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(server.requests[0]?.answer).toBe('hang');
  });

  it('waitForRequests resolves on arrival and rejects with a count after its timeout', async () => {
    const waiting = server.waitForRequests(1, 2_000);
    await post(validMail());
    expect(await waiting).toHaveLength(1);
    await expect(server.waitForRequests(2, 100)).rejects.toThrow(
      'expected 2 SendGrid request(s) within 100 ms, got 1',
    );
  });
});

it('close() returns promptly even while a request hangs', async () => {
  const own = await startSendGridServer({ apiKeys: [KEY] });
  own.setFallback({ kind: 'hang' });
  const pending = fetch(`${own.url}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(validMail()),
  }).catch((caught: unknown) => caught);
  await own.waitForRequests(1);
  const started = Date.now();
  await own.close();
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(await pending).toBeInstanceOf(TypeError);
});
