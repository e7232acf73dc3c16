import { commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type from 'typebox';

/** Everything the API reads from the environment; parsed once at start-up. */
export const ApiEnvSchema = Type.Object({
  ...commonEnvProperties,
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000 }),
});

/** Reads the API's config from the given environment (process.env in server.ts). */
export function loadApiEnv(source: Record<string, string | undefined>) {
  return parseEnv(ApiEnvSchema, source);
}
