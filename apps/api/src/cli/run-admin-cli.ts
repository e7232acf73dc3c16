import { parseArgs } from 'node:util';
import { ConfigError } from '@notifykit/runtime';
import { ApiError } from '../http/api-error.ts';
import { isDependencyUnavailable } from '../http/infrastructure-errors.ts';
import { ADMIN_COMMANDS, type AdminCommand, type CommandFlags } from './admin-commands.ts';
import { loadAdminCliEnv } from './cli-env.ts';
import { EXIT, UsageError } from './cli-errors.ts';

/** Where the CLI writes; the entry point passes process streams, tests read child output. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PROGRAM = 'notifykit-admin';
const GLOBAL_FLAGS = new Set(['--json', '--help', '-h']);

function commandHelp(command: AdminCommand): string {
  return `${command.summary}\n\nUsage: ${PROGRAM} ${command.name} ${command.usage}`.trimEnd();
}

/** The overview printed by `help`. */
export function generalHelp(): string {
  const width = Math.max(...ADMIN_COMMANDS.map((command) => command.name.length));
  return [
    `${PROGRAM}: manage NotifyKit customers and API keys directly in Postgres (DATABASE_URL).`,
    '',
    `Usage: ${PROGRAM} <command> [arguments] [--json]`,
    '',
    'Commands:',
    ...ADMIN_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    `  ${'help'.padEnd(width)}  Show this help, or one command's: help <command>`,
    '',
    'Options:',
    '  --json   Print the result (or the error) as JSON, for scripts',
    '',
    'Exit status: 0 done, 1 the operation failed, 2 the command line is wrong.',
  ].join('\n');
}

function findCommand(name: string): AdminCommand {
  const command = ADMIN_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}"`);
  return command;
}

// node:util's messages suggest `--` tricks that do not help here; keep just the facts.
function parseFlags(command: AdminCommand, args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        ...command.options,
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^ ']+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      throw new UsageError(`Unknown option ${option} for ${command.name}`, command.name);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
      throw new UsageError(
        `Option ${option} needs a value (write ${option}=<value> when the value starts with "-")`,
        command.name,
      );
    }
    throw new UsageError(message.split('. ')[0] ?? message, command.name);
  }
}

function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

async function execute(
  command: AdminCommand,
  args: string[],
  env: Record<string, string | undefined>,
) {
  const { values, positionals } = parseFlags(command, args);
  if (values.help) return { help: commandHelp(command) };
  const missing = command.positionals[positionals.length];
  if (missing) throw new UsageError(`Missing <${missing}>`, command.name);
  const extra = positionals[command.positionals.length];
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}"`, command.name);
  const flags: CommandFlags = {};
  for (const name of Object.keys(command.options)) {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value === 'string') flags[name] = value;
  }

  const config = loadAdminCliEnv(env);
  // Loaded only now: the database layer is most of the start-up time, and help or a typo
  // should answer at once.
  const [{ createApiKeysRepository, createCustomersRepository, createDatabase }, service] =
    await Promise.all([import('@notifykit/db'), import('../services/customer-admin-service.ts')]);
  const { createCustomerAdminService } = service;
  const database = createDatabase(config.DATABASE_URL, { max: 2 });
  try {
    const admin = createCustomerAdminService({
      customers: createCustomersRepository(database.db),
      apiKeys: createApiKeysRepository(database.db),
    });
    return { result: await command.run({ flags, args: positionals }, admin) };
  } catch (error) {
    if (isDependencyUnavailable(error)) {
      throw new Error(`Could not reach Postgres at ${describeDatabase(config.DATABASE_URL)}`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await database.close();
  }
}

// drizzle wraps driver errors in "Failed query: <sql>"; the reason an operator can act on is
// the innermost cause (e.g. "connect ECONNREFUSED 127.0.0.1:5432").
function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let root: Error = error;
  for (let depth = 0; root.cause instanceof Error && depth < 5; depth++) root = root.cause;
  if (root === error) return error.message;
  const code = (root as { code?: unknown }).code;
  const reason = root.message || (typeof code === 'string' ? code : root.name);
  // The SQL text of a failed query helps nobody here and can be long; the reason is enough.
  const context = error.message.startsWith('Failed query')
    ? 'Database query failed'
    : error.message;
  return `${context}: ${reason}`;
}

function reportError(error: unknown, json: boolean, out: CliOutput): number {
  let message: string;
  let details: unknown;
  let code: number = EXIT.failed;
  let hint: string | undefined;
  if (error instanceof UsageError) {
    message = error.message;
    code = EXIT.usage;
    hint = error.command
      ? `Usage: ${PROGRAM} ${error.command} ${findCommand(error.command).usage}`
      : `Run "${PROGRAM} help" to see the commands.`;
  } else if (error instanceof ApiError) {
    message = error.message;
    details = error.details;
    if (error.statusCode === 400) code = EXIT.usage;
  } else if (error instanceof ConfigError) {
    message = error.message;
    hint = `Set DATABASE_URL to NotifyKit's Postgres database, e.g. DATABASE_URL=postgres://user:password@localhost:5432/notifykit`;
  } else {
    message = describeUnexpected(error);
  }
  if (json) {
    out.stderr(
      `${JSON.stringify({ success: false, error: message, ...(details ? { details } : {}) })}\n`,
    );
  } else {
    out.stderr(`${PROGRAM}: ${message}\n${hint ? `${hint}\n` : ''}`);
  }
  return code;
}

/** Runs one CLI invocation and returns its exit status; never throws. */
export async function runAdminCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CliOutput,
): Promise<number> {
  const json = argv.includes('--json');
  try {
    // Global flags may come before the command (`--json list-customers`).
    let start = 0;
    while (start < argv.length && GLOBAL_FLAGS.has(argv[start] ?? '')) start++;
    const leading = argv.slice(0, start);
    const [name, ...rest] = argv.slice(start);
    if (name === undefined) {
      if (leading.some((flag) => flag !== '--json')) {
        out.stdout(`${generalHelp()}\n`);
        return EXIT.ok;
      }
      out.stderr(`${generalHelp()}\n`);
      return EXIT.usage;
    }
    if (name === 'help') {
      const topic = rest.find((arg) => !arg.startsWith('-'));
      out.stdout(`${topic ? commandHelp(findCommand(topic)) : generalHelp()}\n`);
      return EXIT.ok;
    }
    const outcome = await execute(findCommand(name), [...leading, ...rest], env);
    if ('help' in outcome) {
      out.stdout(`${outcome.help}\n`);
    } else if (json) {
      out.stdout(`${JSON.stringify(outcome.result.data, null, 2)}\n`);
    } else {
      out.stdout(`${outcome.result.text}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, json, out);
  }
}
