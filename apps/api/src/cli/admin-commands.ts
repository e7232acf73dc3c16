import type { ParseArgsOptionsConfig } from 'node:util';
import {
  CreateCustomerBodySchema,
  ListCustomersQuerySchema,
  UpdateCustomerBodySchema,
} from '../services/customer-admin-schemas.ts';
import type { CustomerAdminService } from '../services/customer-admin-service.ts';
import {
  assertValid,
  parseBooleanFlag,
  parseLimitFlag,
  parsePositiveIntegerFlag,
} from './cli-arguments.ts';
import { UsageError } from './cli-errors.ts';
import { formatApiKeys, formatCustomer, formatCustomerList, formatNewKey } from './cli-format.ts';

/** Parsed flags of one command (all strings: booleans are spelled out, e.g. --active false). */
export type CommandFlags = Record<string, string | undefined>;

/** What a command produced: `data` for --json, `text` for people. */
export interface CommandResult {
  data: unknown;
  text: string;
}

/** One `notifykit-admin` command. */
export interface AdminCommand {
  name: string;
  /** Arguments after the command name, as shown in help. */
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  /** Names of the positional arguments, all required. */
  positionals: readonly string[];
  run(
    input: { flags: CommandFlags; args: readonly string[] },
    admin: CustomerAdminService,
  ): Promise<CommandResult>;
}

const text = (type: 'string') => ({ type });

function required(flags: CommandFlags, name: string, command: string): string {
  const value = flags[name];
  if (value === undefined) throw new UsageError(`Missing required option --${name}`, command);
  return value;
}

/** Every command, in the order help lists them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  {
    name: 'create-customer',
    usage: '--name <name> --email <email> --plan <free|indie|startup|enterprise>',
    summary: 'Create a customer and its first API key (printed once)',
    options: { name: text('string'), email: text('string'), plan: text('string') },
    positionals: [],
    async run({ flags }, admin) {
      const input = assertValid(CreateCustomerBodySchema, {
        name: required(flags, 'name', this.name),
        email: required(flags, 'email', this.name),
        plan: required(flags, 'plan', this.name),
      });
      const created = await admin.createCustomer(input);
      return {
        data: created,
        text: `Created customer ${created.customer.id}.\n\n${formatCustomer(created.customer)}\n\n${formatNewKey(created.apiKey, created.key)}`,
      };
    },
  },
  {
    name: 'list-customers',
    usage: '[--page <n>] [--limit <1-100>]',
    summary: 'List customers, newest first',
    options: { page: text('string'), limit: text('string') },
    positionals: [],
    async run({ flags }, admin) {
      const query = {
        page:
          flags.page === undefined ? 1 : parsePositiveIntegerFlag('--page', flags.page, this.name),
        limit:
          flags.limit === undefined
            ? 20
            : parsePositiveIntegerFlag('--limit', flags.limit, this.name),
      };
      assertValid(ListCustomersQuerySchema, query);
      const list = await admin.listCustomers(query);
      return { data: list, text: formatCustomerList(list) };
    },
  },
  {
    name: 'show-customer',
    usage: '<customerId>',
    summary: 'Show one customer with its effective limits',
    options: {},
    positionals: ['customerId'],
    async run({ args }, admin) {
      const customer = await admin.getCustomer(args[0] ?? '');
      return { data: customer, text: formatCustomer(customer) };
    },
  },
  {
    name: 'update-customer',
    usage:
      '<customerId> [--name <name>] [--email <email>] [--plan <plan>] [--active true|false]\n' +
      '      [--monthly-quota <n>|default|unlimited] [--rate-limit <n>|default|unlimited]',
    summary: "Change a customer's details, plan, activation or limit overrides",
    options: {
      name: text('string'),
      email: text('string'),
      plan: text('string'),
      active: text('string'),
      'monthly-quota': text('string'),
      'rate-limit': text('string'),
    },
    positionals: ['customerId'],
    async run({ flags, args }, admin) {
      const patch: Record<string, unknown> = {};
      if (flags.name !== undefined) patch.name = flags.name;
      if (flags.email !== undefined) patch.email = flags.email;
      if (flags.plan !== undefined) patch.plan = flags.plan;
      if (flags.active !== undefined) {
        patch.isActive = parseBooleanFlag('--active', flags.active, this.name);
      }
      const quota = flags['monthly-quota'];
      if (quota !== undefined)
        patch.monthlyQuota = parseLimitFlag('--monthly-quota', quota, this.name);
      const rate = flags['rate-limit'];
      if (rate !== undefined)
        patch.rateLimitPerMinute = parseLimitFlag('--rate-limit', rate, this.name);
      if (Object.keys(patch).length === 0) {
        throw new UsageError(
          'Nothing to update: give at least one of --name, --email, --plan, --active, --monthly-quota, --rate-limit',
          this.name,
        );
      }
      const valid = assertValid(UpdateCustomerBodySchema, patch);
      const customer = await admin.updateCustomer(args[0] ?? '', valid);
      return {
        data: customer,
        text: `Updated customer ${customer.id}.\n\n${formatCustomer(customer)}`,
      };
    },
  },
  {
    name: 'create-key',
    usage: '<customerId>',
    summary: 'Issue another API key for a customer (printed once)',
    options: {},
    positionals: ['customerId'],
    async run({ args }, admin) {
      const created = await admin.createApiKey(args[0] ?? '');
      return { data: created, text: formatNewKey(created.apiKey, created.key) };
    },
  },
  {
    name: 'list-keys',
    usage: '<customerId>',
    summary: "List a customer's API keys, revoked ones included",
    options: {},
    positionals: ['customerId'],
    async run({ args }, admin) {
      const keys = await admin.listApiKeys(args[0] ?? '');
      return { data: { data: keys }, text: formatApiKeys(keys) };
    },
  },
  {
    name: 'revoke-key',
    usage: '<customerId> <keyId>',
    summary: 'Revoke an API key (API replicas stop accepting it within AUTH_CACHE_TTL_MS)',
    options: {},
    positionals: ['customerId', 'keyId'],
    async run({ args }, admin) {
      const key = await admin.revokeApiKey(args[0] ?? '', args[1] ?? '');
      return {
        data: key,
        text: `Revoked API key ${key.id} (ends in ${key.lastFour}) at ${key.revokedAt}.`,
      };
    },
  },
];
