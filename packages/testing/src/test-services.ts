import { inject } from 'vitest';
import { TEST_SERVICES_KEY, type TestServices } from './provided-context.ts';

/** The Postgres and Redis URLs resolved by the global setup, for use inside a test file. */
export function getTestServices(): TestServices {
  const services = inject(TEST_SERVICES_KEY);
  if (!services) {
    throw new Error(
      "No test services were provided: add globalSetup: ['@notifykit/testing/global-setup'] " +
        'to this package’s vitest.config.ts.',
    );
  }
  return services;
}
