import { maxHeaderSize } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';

// What Node's HTTP parser refuses never reaches Fastify's routing or error handler; these go
// over a real socket because inject() has no parser to refuse anything.

const t = useTestApp();
let port = 0;

beforeAll(async () => {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await t.app.close();
});

/** Sends raw bytes and returns the raw answer, read until the server closes. */
function rawExchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

function parse(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const separator = line.indexOf(':');
      return [line.slice(0, separator).toLowerCase(), line.slice(separator + 1).trim()];
    }),
  );
  return { statusLine, headers, body: JSON.parse(body) as unknown };
}

const ISO_WITH_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

it('answers a URL longer than the header limit with the error envelope (431)', async () => {
  const path = `/api/v1/notifications/jobs/job_${'a'.repeat(maxHeaderSize)}`;
  const answer = parse(await rawExchange(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
  expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.body).toEqual({
    success: false,
    error: 'Request URL or headers are too large',
    timestamp: expect.stringMatching(ISO_WITH_MS),
  });
});

it('answers bytes that are not HTTP with the error envelope (400)', async () => {
  const answer = parse(await rawExchange('HELLO THERE\r\n\r\n'));
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.body).toEqual({
    success: false,
    error: 'Request is not valid HTTP',
    timestamp: expect.stringMatching(ISO_WITH_MS),
  });
});

it('routes a long id that fits the limit to its handler: 404 after auth, not a router 400', async () => {
  const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
  const response = await fetch(
    `http://127.0.0.1:${port}/api/v1/notifications/jobs/job_${'a'.repeat(5000)}`,
    { headers: { 'X-API-Key': apiKey } },
  );
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ success: false, error: 'Job not found' });
  const anonymous = await fetch(
    `http://127.0.0.1:${port}/api/v1/notifications/jobs/job_${'a'.repeat(5000)}`,
  );
  expect(anonymous.status).toBe(401);
});
