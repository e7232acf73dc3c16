import {
  EmailSendRequestSchema,
  ListJobsQuerySchema,
  WebhookSendRequestSchema,
} from '@notifykit/core';
import type { LightMyRequestResponse } from 'fastify';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';

// The validator compiler and error handler, driven through the real app with the real schemas
// of core mounted on probe routes (so these tests do not depend on the send routes' rules).
const t = useTestApp(
  {},
  {
    beforeReady(app) {
      const config = { auth: 'public' as const };
      const echo = async (request: { body?: unknown; query?: unknown; params?: unknown }) => ({
        body: request.body ?? null,
        query: request.query ?? null,
        params: request.params ?? null,
      });
      app.post('/__probe/email', { config, schema: { body: EmailSendRequestSchema } }, echo);
      app.post('/__probe/webhook', { config, schema: { body: WebhookSendRequestSchema } }, echo);
      app.get('/__probe/jobs', { config, schema: { querystring: ListJobsQuerySchema } }, echo);
      app.get(
        '/__probe/things/:thingId',
        { config, schema: { params: Type.Object({ thingId: Type.String({ pattern: '^thg_' }) }) } },
        echo,
      );
    },
  },
);

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

function expectValidation(
  response: LightMyRequestResponse,
  details: Array<{ field: string; message: string }>,
) {
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual({
    success: false,
    error: details[0]?.message,
    details,
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  });
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
}

describe('request body validation', () => {
  it('lists every invalid field and names the first in `error`', async () => {
    // Order: missing fields, then unknown ones, then each present field's own problem.
    const response = await post('/__probe/email', { extra: 1, subject: '', to: 'not-an-email' });
    expectValidation(response, [
      { field: 'body', message: 'body is required' },
      { field: 'extra', message: 'extra is not an allowed property' },
      { field: 'to', message: 'to must be a valid email address' },
      { field: 'subject', message: 'subject must not be empty' },
    ]);
  });

  it('names an unknown property even when everything else is valid', async () => {
    const response = await post('/__probe/email', {
      to: 'a@b.co',
      subject: 's',
      body: 'b',
      cc: 'x',
    });
    expectValidation(response, [{ field: 'cc', message: 'cc is not an allowed property' }]);
  });

  it('never coerces body types: "5" is not the priority 5', async () => {
    const base = { to: 'a@b.co', subject: 's', body: 'b' };
    for (const priority of ['5', 3, 5.5]) {
      const response = await post('/__probe/email', { ...base, priority });
      expectValidation(response, [
        { field: 'priority', message: 'priority must be one of 1, 5, 10' },
      ]);
    }
  });

  it('explains wrong types, enums, literals and patterns', async () => {
    const response = await post('/__probe/email', {
      to: 5,
      subject: ['x'],
      body: null,
      provider: 'SES',
      idempotencyKey: 'has spaces',
    });
    expectValidation(response, [
      { field: 'to', message: 'to must be a string' },
      { field: 'subject', message: 'subject must be a string' },
      { field: 'body', message: 'body must be a string' },
      { field: 'idempotencyKey', message: 'idempotencyKey has an invalid format' },
      { field: 'provider', message: 'provider must be SENDGRID' },
    ]);
  });

  it('names nested fields with dots', async () => {
    const response = await post('/__probe/webhook', {
      url: 'https://example.com/hook',
      method: 'FETCH',
      payload: [1],
      headers: { 'X-Trace': 1 },
    });
    expectValidation(response, [
      { field: 'method', message: 'method must be one of GET, POST, PUT, PATCH, DELETE' },
      { field: 'payload', message: 'payload must be an object' },
      { field: 'headers.X-Trace', message: 'headers.X-Trace must be a string' },
    ]);
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', '"hello"'],
    ['null', 'null'],
  ])('refuses %s as the body', async (_label, payload) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/__probe/email',
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expectValidation(response, [
      { field: 'Request body', message: 'Request body must be a JSON object' },
    ]);
  });

  it('refuses a missing body on a route that needs one', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/__probe/email' });
    expectValidation(response, [
      { field: 'Request body', message: 'Request body must be a JSON object' },
    ]);
  });
});

describe('query string and path validation', () => {
  it('lists every invalid query parameter', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/__probe/jobs?page=0&limit=abc&type=sms&status=done',
    });
    expectValidation(response, [
      { field: 'page', message: 'page must be at least 1' },
      { field: 'limit', message: 'limit must be an integer' },
      { field: 'type', message: 'type must be one of email, webhook' },
      { field: 'status', message: 'status must be one of pending, processing, completed, failed' },
    ]);
  });

  it('refuses values that would only fit after truncation or from an empty string', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/__probe/jobs?page=&limit=1.5' });
    expectValidation(response, [
      { field: 'page', message: 'page must be an integer' },
      { field: 'limit', message: 'limit must be an integer' },
    ]);
  });

  it('refuses a repeated parameter and an out-of-range limit', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/__probe/jobs?page=1&page=2&limit=101',
    });
    expectValidation(response, [
      { field: 'page', message: 'page must be an integer' },
      { field: 'limit', message: 'limit must be at most 100' },
    ]);
  });

  it('converts valid query strings to numbers', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/__probe/jobs?page=2&limit=50&type=email&status=failed',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().query).toEqual({ page: 2, limit: 50, type: 'email', status: 'failed' });
  });

  it('validates path parameters', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/__probe/things/abc' });
    expectValidation(response, [{ field: 'thingId', message: 'thingId has an invalid format' }]);
  });
});
