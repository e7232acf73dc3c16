import { ConfigError } from '@notifykit/runtime';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { loadApiEnv } from '../../env.ts';
import { postSend, WEBHOOK_REQUEST } from './send-test-helpers.ts';

// Self-hosted installs call internal services: the operator's allow-list opens exactly those
// at submit time too, while every other private destination stays refused.
const t = useTestApp({ WEBHOOK_ALLOWED_HOSTS: '10.1.0.0/16, localhost, fd00::/8' });

async function sendTo(url: string) {
  const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
  return postSend(t, apiKey, 'webhook', { ...WEBHOOK_REQUEST, url });
}

describe('WEBHOOK_ALLOWED_HOSTS at submit time', () => {
  it.each(['https://10.1.2.3/hook', 'https://localhost/hook', 'https://[fd00::5]/hook'])(
    'accepts the allowed internal target %s',
    async (url) => {
      const response = await sendTo(url);
      expect(response.statusCode).toBe(202);
    },
  );

  it.each(['https://10.2.0.1/hook', 'https://127.0.0.1/hook', 'https://169.254.169.254/latest'])(
    'still refuses the unlisted private target %s',
    async (url) => {
      const response = await sendTo(url);
      expect(response.statusCode).toBe(400);
      expect(response.json().details[0].field).toBe('url');
    },
  );

  it('refuses to start with a malformed entry, naming the variable', () => {
    const base = { DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x', ENCRYPTION_KEYS: 'k' };
    expect(() => loadApiEnv({ ...base, WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' })).toThrow(
      ConfigError,
    );
    expect(() => loadApiEnv({ ...base, WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' })).toThrow(
      /WEBHOOK_ALLOWED_HOSTS: "10\.0\.0\.0\/99" is not a host name/,
    );
  });
});
