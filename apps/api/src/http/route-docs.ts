import type { TSchema } from 'typebox';
import { ErrorEnvelopeSchema } from './envelope.ts';

/**
 * Attaches example values to a schema (OpenAPI shows them; validation ignores `examples`).
 * Every public route documents an example request and response this way.
 */
export function withExamples<Schema extends TSchema>(schema: Schema, examples: unknown[]): Schema {
  return { ...schema, examples } as Schema;
}

/** Response schema entries for the error statuses a route can answer with. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorEnvelopeSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorEnvelopeSchema]));
}
