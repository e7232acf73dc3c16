import type { Static, TSchema } from 'typebox';
import { typeBoxValidatorCompiler } from '../http/validation.ts';
import { LIMIT_OVERRIDE_MAX } from '../services/customer-admin-schemas.ts';
import { UsageError } from './cli-errors.ts';

// Flag values arrive as strings; these turn them into the values the admin API's JSON bodies
// carry, so one schema and one service check both front doors.

/** `--monthly-quota` / `--rate-limit`: N, `default` (null, the plan's value) or `unlimited`. */
export function parseLimitFlag(
  flag: string,
  raw: string,
  command: string,
): number | null | 'unlimited' {
  if (raw === 'default') return null;
  if (raw === 'unlimited') return 'unlimited';
  if (/^\d+$/.test(raw) && Number(raw) <= LIMIT_OVERRIDE_MAX) return Number(raw);
  throw new UsageError(
    `${flag} must be a whole number from 0 to ${LIMIT_OVERRIDE_MAX}, "default" or "unlimited" (got "${raw}")`,
    command,
  );
}

/** `--active true|false` (also yes/no). */
export function parseBooleanFlag(flag: string, raw: string, command: string): boolean {
  const normalized = raw.toLowerCase();
  if (normalized === 'true' || normalized === 'yes') return true;
  if (normalized === 'false' || normalized === 'no') return false;
  throw new UsageError(`${flag} must be true or false (got "${raw}")`, command);
}

/** A positive whole number such as `--page 2`. */
export function parsePositiveIntegerFlag(flag: string, raw: string, command: string): number {
  if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number.isSafeInteger(Number(raw))) {
    return Number(raw);
  }
  throw new UsageError(`${flag} must be a whole number of at least 1 (got "${raw}")`, command);
}

/**
 * Checks a request-shaped value against the admin API's own schema and throws the same
 * ApiError(400) the HTTP route would, with the same sentences.
 */
export function assertValid<Schema extends TSchema>(
  schema: Schema,
  value: unknown,
): Static<Schema> {
  const validate = typeBoxValidatorCompiler({ schema, method: 'POST', url: '/', httpPart: 'body' });
  const result = validate(value) as { error?: Error };
  if (result.error) throw result.error;
  return value as Static<Schema>;
}
