import { randomBytes } from 'node:crypto';
import { createSecretBox, parseEncryptionKeys } from '@notifykit/core';
import { describe, expect, it } from 'vitest';
import { createTestDeliver } from '../test/email-deliver-factory.ts';
import { emailPayload, OPERATOR_KEY, useEmailTestBed } from '../test/email-test-bed.ts';
import { createLogTransport, LOG_TRANSPORT_NOTE } from './log-transport.ts';
import { UNREADABLE_SENDGRID_KEY_MESSAGE } from './sendgrid-key-resolver.ts';

// The seed's exact words, spelled out so a change to the shared constant cannot go unnoticed.
const MISSING_SENDGRID_KEY_MESSAGE =
  'Please add your SendGrid API key in settings before sending emails.';

const bed = useEmailTestBed();

const expectedContent = [
  { type: 'text/plain', value: 'Good news\n\nYour order is on its way.' },
  { type: 'text/html', value: '<h1>Good news</h1><p>Your order is on its way.</p>' },
];

describe('email delivery: key and sender by plan', () => {
  it('sends a free customer’s email with the operator key and the default sender, once', async () => {
    const customer = await bed.createCustomer('free');
    const jobId = await bed.createEmailJob(customer);
    const result = await createTestDeliver(bed).run(jobId);

    expect(bed.sendgrid.requests).toHaveLength(1);
    const [request] = bed.sendgrid.requests;
    expect(request?.apiKey).toBe(OPERATOR_KEY);
    expect(request?.problems).toEqual([]);
    expect(request?.body).toEqual({
      from: { email: 'no-reply@notifykit.test', name: 'NotifyKit' },
      subject: 'Your order has shipped',
      personalizations: [{ to: [{ email: 'reader@example.com' }] }],
      content: expectedContent,
      custom_args: { notifykit_job_id: jobId },
    });
    expect(result).toEqual({
      outcome: { kind: 'success' },
      statusCode: 202,
      durationMs: expect.any(Number),
      responsePrefix: null,
      providerMessageId: request?.messageId,
    });
    expect(result.providerMessageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('ignores a stored from for a customer who is on the free plan at send time', async () => {
    const customer = await bed.createCustomer('free');
    const jobId = await bed.createEmailJob(customer, { from: 'me@shop.example' });
    await createTestDeliver(bed).run(jobId);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({
      from: { email: 'no-reply@notifykit.test', name: 'NotifyKit' },
    });
  });

  it('sends an indie customer’s email with that customer’s key and from', async () => {
    const customerKey = `SG.indie-${randomBytes(8).toString('hex')}`;
    const customer = await bed.createCustomer('indie', customerKey);
    const jobId = await bed.createEmailJob(customer, { from: 'orders@shop.example' });
    const result = await createTestDeliver(bed).run(jobId);

    expect(result.outcome).toEqual({ kind: 'success' });
    expect(bed.sendgrid.requests.map((r) => r.apiKey)).toEqual([customerKey]);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({
      from: { email: 'orders@shop.example' },
    });
  });

  it('uses the default sender for a paid customer who gave no from', async () => {
    const customerKey = `SG.startup-${randomBytes(8).toString('hex')}`;
    const customer = await bed.createCustomer('startup', customerKey);
    await createTestDeliver(bed).run(await bed.createEmailJob(customer));
    expect(bed.sendgrid.requests[0]?.apiKey).toBe(customerKey);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({
      from: { email: 'no-reply@notifykit.test', name: 'NotifyKit' },
    });
  });

  it('sends an enterprise customer’s email with the operator key and their own from', async () => {
    const customer = await bed.createCustomer('enterprise');
    await createTestDeliver(bed).run(
      await bed.createEmailJob(customer, { from: 'ceo@big.example' }),
    );
    expect(bed.sendgrid.requests[0]?.apiKey).toBe(OPERATOR_KEY);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({ from: { email: 'ceo@big.example' } });
  });

  it('fails permanently with the seed’s message when the customer key was deleted after acceptance', async () => {
    const customer = await bed.createCustomer('indie', 'SG.soon-deleted-key');
    const jobId = await bed.createEmailJob(customer);
    expect(await bed.customers.clearSendgridKey(customer.id)).toBe(true);

    const result = await createTestDeliver(bed).run(jobId);
    expect(result.outcome).toEqual({ kind: 'permanent', reason: MISSING_SENDGRID_KEY_MESSAGE });
    expect(result.statusCode).toBeNull();
    expect(bed.sendgrid.requests).toHaveLength(0);
  });

  it('fails permanently, and tells the operator, when a stored key can no longer be decrypted', async () => {
    const customer = await bed.createCustomer('startup');
    const foreignBox = createSecretBox(
      parseEncryptionKeys(`gone:${randomBytes(32).toString('base64')}`),
    );
    await bed.customers.setSendgridKey(customer.id, {
      ciphertext: foreignBox.encrypt('SG.unreadable-key'),
      lastFour: '-key',
    });
    const deliver = createTestDeliver(bed);
    const result = await deliver.run(await bed.createEmailJob(customer));

    expect(result.outcome).toEqual({ kind: 'permanent', reason: UNREADABLE_SENDGRID_KEY_MESSAGE });
    expect(bed.sendgrid.requests).toHaveLength(0);
    const [logged] = deliver.log.withMessage(
      'customer SendGrid key could not be decrypted; is its encryption key still in ENCRYPTION_KEYS?',
    );
    expect(logged).toMatchObject({
      level: 50,
      customerId: customer.id,
      reason: 'ciphertext was made with unknown key "gone"',
    });
    expect(deliver.log.lines.join('\n')).not.toContain('SG.unreadable-key');
  });

  it('sends only the HTML part when the body has no readable text', async () => {
    const customer = await bed.createCustomer('free');
    await createTestDeliver(bed).run(
      await bed.createEmailJob(customer, { body: '<img src="https://cdn.example/banner.png">' }),
    );
    expect(bed.sendgrid.requests[0]?.problems).toEqual([]);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({
      content: [{ type: 'text/html', value: '<img src="https://cdn.example/banner.png">' }],
    });
  });
});

describe('email delivery: log transport', () => {
  it('sends nothing, logs a redacted summary and reports success with a not-sent note', async () => {
    const customer = await bed.createCustomer('free');
    const jobId = await bed.createEmailJob(
      customer,
      emailPayload({ to: 'private.person@example.org' }),
    );
    const deliver = createTestDeliver(bed, { transport: createLogTransport() });
    const result = await deliver.run(jobId);

    expect(result).toEqual({
      outcome: { kind: 'success' },
      statusCode: null,
      durationMs: expect.any(Number),
      responsePrefix: null,
      note: LOG_TRANSPORT_NOTE,
      providerMessageId: null,
    });
    expect(bed.sendgrid.requests).toHaveLength(0);
    const [summary] = deliver.log.withMessage('email not sent (EMAIL_TRANSPORT=log); summary only');
    expect(summary).toMatchObject({
      jobId,
      transport: 'log',
      recipientDomain: 'example.org',
      subjectLength: 'Your order has shipped'.length,
    });
    const everything = deliver.log.lines.join('\n');
    expect(everything).not.toContain('private.person');
    expect(everything).not.toContain('Your order has shipped');
    expect(everything).not.toContain('on its way');
  });

  it('still refuses an indie email without a customer key, like production would', async () => {
    const customer = await bed.createCustomer('indie');
    const deliver = createTestDeliver(bed, { transport: createLogTransport() });
    const result = await deliver.run(await bed.createEmailJob(customer));
    expect(result.outcome).toEqual({ kind: 'permanent', reason: MISSING_SENDGRID_KEY_MESSAGE });
  });
});
