import Type, { type TSchema } from 'typebox';

/** One problem with a request field, as listed in a validation error's `details`. */
export const ErrorDetailSchema = Type.Object({
  field: Type.String(),
  message: Type.String(),
});
export type ErrorDetail = { field: string; message: string };

/** The error envelope every non-2xx response carries (CONTRACT §1). */
export const ErrorEnvelopeSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String({ description: 'One human sentence.' }),
    details: Type.Optional(Type.Array(ErrorDetailSchema)),
    retryAfter: Type.Optional(Type.Integer({ description: 'Seconds to wait (429 only).' })),
    timestamp: Type.String({ format: 'date-time' }),
  },
  { title: 'ErrorEnvelope' },
);

/**
 * Wraps a data schema in the success envelope `{success: true, data, timestamp}`; `example` is
 * a sample `data` value shown in the OpenAPI document.
 */
export function successEnvelope<Data extends TSchema>(data: Data, example?: unknown) {
  return Type.Object(
    {
      success: Type.Literal(true),
      data,
      timestamp: Type.String({ format: 'date-time' }),
    },
    example === undefined
      ? {}
      : { examples: [{ success: true, data: example, timestamp: '2026-01-09T12:35:00.000Z' }] },
  );
}

/** Builds a success body; routes return this so the envelope is written in one place. */
export function ok<Data>(data: Data, now: Date = new Date()) {
  return { success: true as const, data, timestamp: now.toISOString() };
}

/** Builds an error body. */
export function errorBody(
  error: string,
  extra: { details?: ErrorDetail[]; retryAfter?: number } = {},
  now: Date = new Date(),
) {
  return { success: false as const, error, ...extra, timestamp: now.toISOString() };
}
