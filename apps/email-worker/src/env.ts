import { commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type from 'typebox';

/** Everything the email-worker reads from the environment; parsed once at start-up. */
export const WorkerEnvSchema = Type.Object({
  ...commonEnvProperties,
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 30_000 }),
});

/** Reads the worker's config from the given environment (process.env in main.ts). */
export function loadWorkerEnv(source: Record<string, string | undefined>) {
  return parseEnv(WorkerEnvSchema, source);
}
