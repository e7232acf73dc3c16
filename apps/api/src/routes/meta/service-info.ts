import packageJson from '../../../package.json' with { type: 'json' };

/** How the service presents itself in GET /api/v1/info and the OpenAPI document. */
export const SERVICE_INFO = Object.freeze({
  name: 'NotifyKit',
  /** The API package's version: what clients and the docs should quote when reporting issues. */
  version: packageJson.version,
  description:
    'Self-hostable notification delivery: email (SendGrid) and webhooks as tracked, retried, ' +
    'signed jobs with idempotency and a full delivery history.',
});
