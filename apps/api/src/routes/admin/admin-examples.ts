import type { ApiKeyView, CustomerView } from '../../services/customer-admin-schemas.ts';

// Sample values for the OpenAPI document of the operator API.

/** A key as listed. */
export const API_KEY_EXAMPLE: ApiKeyView = {
  id: 'key_01jh3k7q2w5n8r4t6y9v0b3m5c7x',
  lastFour: '9f3a',
  createdAt: '2026-01-09T12:34:56.789Z',
  revokedAt: null,
  lastUsedAt: '2026-01-09T13:02:11.004Z',
};

/** A plaintext key as returned once at creation. */
export const PLAINTEXT_KEY_EXAMPLE = `nh_${'4be1c0d2'.repeat(7)}4be19f3a`;

/** A startup customer with a raised rate limit. */
export const CUSTOMER_EXAMPLE: CustomerView = {
  id: 'cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t',
  name: 'Acme Inc.',
  email: 'ops@acme.example',
  plan: 'startup',
  isActive: true,
  monthlyQuota: null,
  rateLimitPerMinute: 500,
  effectiveLimits: {
    monthlyQuota: 15000,
    quotaCounts: ['webhook'],
    sendRateLimitPerMinute: 500,
    readRateLimitPerMinute: 5000,
    emailKeySource: 'customer',
  },
  sendgridKeyConfigured: false,
  createdAt: '2026-01-09T12:34:56.789Z',
  updatedAt: '2026-01-09T12:40:00.000Z',
};
