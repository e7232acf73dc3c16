import {
  EmailSendRequestSchema,
  SendAcceptedSchema,
  WebhookSendRequestSchema,
} from '@notifykit/core';
import { successEnvelope } from '../../http/envelope.ts';
import { errorResponses, withExamples } from '../../http/route-docs.ts';
import { SendHeadersSchema } from '../../services/send-idempotency.ts';

const ACCEPTED_DESCRIPTION =
  'Accepted: the job is stored and will be delivered asynchronously. A repeat of an earlier ' +
  'request with the same idempotency key answers with the original job and the header ' +
  '`Idempotent-Replayed: true`.';

const acceptedResponse = (type: 'email' | 'webhook') => ({
  ...successEnvelope(SendAcceptedSchema, {
    jobId: 'job_01kf0q5mzr7c2x9d4e6hjv8wnb3tpa',
    status: 'pending',
    type,
    createdAt: '2026-01-09T12:34:56.789Z',
  }),
  description: ACCEPTED_DESCRIPTION,
});

// 403 covers both an inactive account and an exhausted monthly quota; 422 an idempotency key
// reused with a different body; 503 Postgres or Redis not answering (nothing was accepted).
const SEND_ERRORS = errorResponses(400, 401, 403, 413, 415, 422, 429, 503);

/** Schema of POST /api/v1/notifications/email. */
export const sendEmailSchema = {
  summary: 'Send an email',
  description:
    'Queues one email for delivery through SendGrid. Free plans send from the operator’s ' +
    'default sender; indie and startup plans need their own SendGrid key in settings.',
  tags: ['notifications'],
  headers: SendHeadersSchema,
  body: withExamples(EmailSendRequestSchema, [
    {
      to: 'user@example.com',
      subject: 'Welcome!',
      body: '<h1>Hello</h1>',
      priority: 5,
      idempotencyKey: 'welcome-user-42',
    },
  ]),
  response: { 202: acceptedResponse('email'), ...SEND_ERRORS },
};

/** Schema of POST /api/v1/notifications/webhook. */
export const sendWebhookSchema = {
  summary: 'Send a webhook',
  description:
    'Queues one HTTP request to your endpoint. The body is the JSON serialization of ' +
    '`payload`; deliveries are signed when a webhook secret is configured.',
  tags: ['notifications'],
  headers: SendHeadersSchema,
  body: withExamples(WebhookSendRequestSchema, [
    {
      url: 'https://example.com/hooks/notifykit',
      method: 'POST',
      payload: { event: 'user.created', userId: 42 },
      headers: { 'X-Source': 'billing' },
      idempotencyKey: 'user-created-42',
    },
  ]),
  response: { 202: acceptedResponse('webhook'), ...SEND_ERRORS },
};
