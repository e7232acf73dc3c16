import { parseEnv } from '@notifykit/runtime';
import Type from 'typebox';

/**
 * What `notifykit-admin` reads from the environment: only where Postgres is. It logs nothing,
 * so LOG_LEVEL and friends are deliberately not read (a typo there must not block an operator).
 */
export const AdminCliEnvSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
});

/** Parses the CLI's config; throws the runtime's ConfigError listing every problem. */
export function loadAdminCliEnv(source: Record<string, string | undefined>) {
  return parseEnv(AdminCliEnvSchema, source);
}
