import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { ApiError } from './api-error.ts';
import type { ErrorDetail } from './envelope.ts';

interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const PART_NAMES: Record<string, string> = {
  body: 'Request body',
  querystring: 'Query string',
  params: 'Path',
  headers: 'Headers',
};

function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child !== undefined) parts.push(child);
  return parts.map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
}

/** Follows a `#/a/b` schema path; schemas may carry an `errorMessage` that replaces ours. */
function schemaAt(root: unknown, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

function customMessage(root: TSchema, error: RawError): string | undefined {
  // Union branches report against `.../anyOf/N`; the message lives on the union itself.
  const path = error.schemaPath.replace(/\/(anyOf|oneOf)\/\d+$/, '');
  const own = schemaAt(root, path)?.errorMessage;
  return typeof own === 'string' ? own : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(error: RawError, field: string, subject: string): string {
  const p = error.params;
  switch (error.keyword) {
    case 'type':
      if (!field && p.type === 'object') return `${subject} must be a JSON object`;
      return `${subject} must be ${article(String(p.type))}`;
    case 'format':
      return p.format === 'email'
        ? `${subject} must be a valid email address`
        : `${subject} must be a valid ${String(p.format)}`;
    case 'minLength':
      return p.limit === 1
        ? `${subject} must not be empty`
        : `${subject} must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `${subject} must be at most ${String(p.limit)} characters`;
    case 'minimum':
      return `${subject} must be at least ${String(p.limit)}`;
    case 'maximum':
      return `${subject} must be at most ${String(p.limit)}`;
    case 'maxProperties':
      return `${subject} must have at most ${String(p.limit)} entries`;
    case 'minProperties':
      return `${subject} must have at least ${String(p.limit)} entries`;
    case 'pattern':
      return `${subject} has an invalid format`;
    case 'enum':
      return `${subject} must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${subject} must be ${String(p.allowedValue)}`;
    default:
      return field ? `${subject} is invalid` : `${subject} is invalid`;
  }
}

/**
 * Turns TypeBox validation errors into one detail per field, in the order found, with sentences
 * that name the field. Unions of literals (priority 1|5|10) collapse into "must be one of".
 */
export function describeValidationErrors(
  schema: TSchema,
  errors: readonly RawError[],
  part: string,
): ErrorDetail[] {
  const partName = PART_NAMES[part] ?? part;
  const byField = new Map<string, string>();
  const literalChoices = new Map<string, unknown[]>();
  const add = (field: string, message: string) => {
    if (!byField.has(field)) byField.set(field, message);
  };

  for (const error of errors) {
    if (error.keyword === 'const' && /\/(anyOf|oneOf)\/\d+$/.test(error.schemaPath)) {
      const field = fieldName(error.instancePath);
      literalChoices.set(field, [...(literalChoices.get(field) ?? []), error.params.allowedValue]);
    }
  }

  for (const error of errors) {
    const field = fieldName(error.instancePath);
    const custom = customMessage(schema, error);
    if (error.keyword === 'required') {
      for (const name of error.params.requiredProperties as string[]) {
        add(
          fieldName(error.instancePath, name),
          `${fieldName(error.instancePath, name)} is required`,
        );
      }
    } else if (error.keyword === 'additionalProperties') {
      for (const name of error.params.additionalProperties as string[]) {
        const unknown = fieldName(error.instancePath, name);
        add(unknown, `${unknown} is not an allowed property`);
      }
    } else if (error.keyword === 'boolean') {
      // `additionalProperties: false` also reports each extra key as "schema is false"; the
      // additionalProperties error above already names them.
    } else if (custom) {
      add(field || partName, custom);
    } else if (
      literalChoices.has(field) &&
      // A string "5" fails each branch on `type` before `const`; it is still a wrong choice.
      (error.keyword === 'anyOf' || /\/(anyOf|oneOf)\/\d+$/.test(error.schemaPath))
    ) {
      add(field, `${field} must be one of ${(literalChoices.get(field) ?? []).join(', ')}`);
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      add(field || partName, `${field || partName} is invalid`);
    } else {
      const subject = field || partName;
      add(subject, describe(error, field, subject));
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/**
 * Value.Convert, except that a string it can only turn into a different number ("1.5" for an
 * integer becomes 1) is kept as sent, so the check refuses it instead of silently truncating.
 */
function convertLosslessly(schema: TSchema, input: unknown): unknown {
  // Convert works in place, so the strings as sent are copied first.
  const sent: Record<string, unknown> =
    typeof input === 'object' && input !== null ? { ...input } : {};
  const converted = Value.Convert(schema, input);
  if (typeof converted !== 'object' || converted === null) return converted;
  const out: Record<string, unknown> = { ...converted };
  for (const [key, raw] of Object.entries(sent)) {
    // An empty value ("?page=") would otherwise become 0 and be reported as out of range.
    const lossy = typeof raw === 'string' && (raw.trim() === '' || out[key] !== Number(raw));
    if (lossy && typeof out[key] === 'number') {
      out[key] = raw;
    }
  }
  return out;
}

/**
 * Fastify validator compiler built on TypeBox (the same schemas core exports and OpenAPI
 * shows). Bodies are checked as sent, never coerced; query strings, params and headers are
 * converted from strings first. Failures become one ApiError(400) listing every problem.
 */
export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const part = httpPart ?? 'body';
  return (input: unknown) => {
    const value = part === 'body' ? input : convertLosslessly(schema, input);
    if (check.Check(value)) return { value };
    const details = describeValidationErrors(schema, check.Errors(value) as RawError[], part);
    const first = details[0]?.message ?? `${PART_NAMES[part] ?? part} is invalid`;
    return { error: new ApiError(400, first, { details }) };
  };
};
