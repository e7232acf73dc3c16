import type { Static, TObject } from 'typebox';
import Value from 'typebox/value';

/** Raised when the environment does not satisfy an app's config schema; lists every problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function variableName(instancePath: string, params: object): string {
  const fromPath = instancePath.replace(/^\//, '');
  if (fromPath) return fromPath;
  if ('requiredProperties' in params && Array.isArray(params.requiredProperties)) {
    return params.requiredProperties.join(', ');
  }
  return '(environment)';
}

/**
 * Parses environment variables against a TypeBox object schema: applies defaults, converts
 * strings to numbers/booleans, drops unknown variables, and returns a frozen config object.
 * Empty strings count as unset so `.env` files can leave optional values blank.
 */
export function parseEnv<Schema extends TObject>(
  schema: Schema,
  source: Record<string, string | undefined>,
): Readonly<Static<Schema>> {
  const known = Object.keys(schema.properties);
  const picked: Record<string, string> = {};
  for (const name of known) {
    const value = source[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  const withDefaults = Value.Default(schema, picked);
  const converted = Value.Convert(schema, withDefaults);
  const errors = Value.Errors(schema, converted);
  if (errors.length > 0) {
    const problems = errors.map((error) => {
      const detail =
        'allowedValues' in error.params && Array.isArray(error.params.allowedValues)
          ? `must be one of ${error.params.allowedValues.join(', ')}`
          : error.message;
      return `${variableName(error.instancePath, error.params)}: ${detail}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  return Object.freeze(converted as Static<Schema>);
}

/**
 * Entry-point wrapper: returns the parsed config, or prints the problems (no stack trace, they
 * are an operator's typo, not a bug) and exits 1.
 */
export function loadConfigOrExit<Config>(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
