import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';

// The CLI runs as a real child process against this file's database; the app built on the same
// database checks that what the CLI does is what the API enforces. A zero auth-cache TTL makes
// the app see CLI changes at once (in production they arrive within AUTH_CACHE_TTL_MS).
const t = useTestApp({ AUTH_CACHE_TTL_MS: '0' });
const CLI = fileURLToPath(new URL('./admin-cli.ts', import.meta.url));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DATABASE_URL: t.deps.env.DATABASE_URL, ...env }, timeout: 45_000 },
      (error, stdout, stderr) => {
        // A non-numeric code means the process never exited on its own (spawn failure, timeout).
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function cliJson(args: string[]) {
  const run = await cli([...args, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

function ping(apiKey: string) {
  return t.app.inject({ method: 'GET', url: '/api/v1/ping', headers: { 'x-api-key': apiKey } });
}

// Each run starts a Node process; on a busy CI machine that can take seconds.
describe('notifykit-admin', { timeout: 90_000 }, () => {
  it('prints help, and refuses a missing or unknown command with exit 2', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    for (const command of [
      'create-customer',
      'list-customers',
      'show-customer',
      'update-customer',
      'create-key',
      'revoke-key',
    ]) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: notifykit-admin <command> [arguments] [--json]');

    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'notifykit-admin: Unknown command "frobnicate"\nRun "notifykit-admin help" to see the commands.\n',
    );
  });

  it('creates a customer whose printed key authenticates against the API', async () => {
    const run = await cli([
      'create-customer',
      '--name',
      'Acme Inc.',
      '--email',
      'ops@acme.example',
      '--plan',
      'indie',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const keys = run.stdout.match(/nh_[0-9a-f]{64}/g) ?? [];
    expect(keys).toHaveLength(1);
    expect(run.stdout).toContain('It is shown only now; store it securely');
    expect(run.stdout).toMatch(/^plan {2,}indie$/m);

    const response = await ping(keys[0] ?? '');
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual({ message: 'pong' });
  });

  it('prints the admin API data with --json', async () => {
    const created = await cliJson([
      'create-customer',
      '--name',
      'Json Co',
      '--email',
      'j@json.example',
      '--plan',
      'startup',
    ]);
    expect(created.customer).toMatchObject({
      name: 'Json Co',
      plan: 'startup',
      isActive: true,
      monthlyQuota: null,
      effectiveLimits: { monthlyQuota: 15000, sendRateLimitPerMinute: 200 },
    });
    expect(created.apiKey).toMatch(/^nh_[0-9a-f]{64}$/);

    const shown = await cliJson(['show-customer', created.customer.id]);
    expect(shown).toEqual(created.customer);
    const listed = await cliJson(['list-customers', '--limit', '1']);
    expect(listed.data.map((c: { id: string }) => c.id)).toEqual([created.customer.id]);
    expect(listed.pagination).toMatchObject({ page: 1, limit: 1 });
  });

  it('refuses bad input with a clear sentence and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['create-customer', '--name', 'X', '--email', 'x@x.example', '--plan', 'gold'],
        'plan must be one of free, indie, startup, enterprise',
      ],
      [['create-customer', '--name', 'X', '--plan', 'free'], 'Missing required option --email'],
      [
        ['create-customer', '--name', 'X', '--email', 'nope', '--plan', 'free'],
        'email must be a valid email address',
      ],
      [['create-customer', '--nmae', 'X'], 'Unknown option --nmae for create-customer'],
      [
        ['update-customer', 'cus_x', '--active', 'maybe'],
        '--active must be true or false (got "maybe")',
      ],
      [
        ['update-customer', 'cus_x', '--monthly-quota=-1'],
        '--monthly-quota must be a whole number from 0 to 2147483647, "default" or "unlimited" (got "-1")',
      ],
      [
        ['update-customer', 'cus_x'],
        'Nothing to update: give at least one of --name, --email, --plan, --active, --monthly-quota, --rate-limit',
      ],
      [['list-customers', '--limit', '500'], 'limit must be at most 100'],
      [['revoke-key', 'cus_x'], 'Missing <keyId>'],
    ];
    const runs: CliRun[] = [];
    // Three at a time: parallel enough to be quick, gentle enough not to starve a small runner.
    for (let i = 0; i < cases.length; i += 3) {
      runs.push(...(await Promise.all(cases.slice(i, i + 3).map(([args]) => cli(args)))));
    }
    runs.forEach((run, i) => {
      const [args, message] = cases[i] ?? [[], ''];
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(`notifykit-admin: ${message}`);
      expect(run.stdout).toBe('');
    });
    const listed = await t.deps.repositories.customers.list({ page: 1, limit: 100 });
    expect(listed.rows.some((c) => c.name === 'X')).toBe(false);
  });

  it('reports an unknown customer with exit 1, as JSON when asked', async () => {
    const text = await cli(['show-customer', 'cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t']);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('notifykit-admin: Customer not found\n');
    const json = await cli(['create-key', 'cus_nope', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ success: false, error: 'Customer not found' });
  });

  it('updates plan, overrides and activation, and the API enforces them', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'free' });
    const updated = await cliJson([
      'update-customer',
      customer.id,
      '--plan',
      'startup',
      '--monthly-quota',
      'unlimited',
      '--rate-limit',
      '7',
      '--active',
      'false',
    ]);
    expect(updated).toMatchObject({
      plan: 'startup',
      isActive: false,
      monthlyQuota: 'unlimited',
      rateLimitPerMinute: 7,
      effectiveLimits: {
        monthlyQuota: null,
        sendRateLimitPerMinute: 7,
        readRateLimitPerMinute: 70,
      },
    });
    const refused = await ping(apiKey);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('Account is inactive');

    const restored = await cliJson([
      'update-customer',
      customer.id,
      '--active',
      'true',
      '--rate-limit',
      'default',
    ]);
    expect(restored).toMatchObject({ isActive: true, rateLimitPerMinute: null });
    expect(restored.effectiveLimits.sendRateLimitPerMinute).toBe(200);
    expect((await ping(apiKey)).statusCode).toBe(200);
  });

  it('creates, lists and revokes keys', async () => {
    const { customer, apiKey: firstKey } = await t.createCustomer();
    const created = await cliJson(['create-key', customer.id]);
    expect((await ping(created.apiKey)).statusCode).toBe(200);

    const listed = await cliJson(['list-keys', customer.id]);
    expect(listed.data.map((k: { id: string }) => k.id)[0]).toBe(created.key.id);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);

    const revoke = await cli(['revoke-key', customer.id, created.key.id]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(
      new RegExp(`^Revoked API key ${created.key.id} \\(ends in ${created.key.lastFour}\\) at `),
    );
    const refused = await ping(created.apiKey);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('Invalid API key');
    expect((await ping(firstKey)).statusCode).toBe(200);

    const foreign = await cli(['revoke-key', customer.id, 'key_01jh3k7q2w5n8r4t6y9v0b3m5c7x']);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toBe('notifykit-admin: API key not found\n');
  });

  it('fails with exit 1 and says what to set when DATABASE_URL is missing or unreachable', async () => {
    const missing = await cli(['list-customers'], { DATABASE_URL: '' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('DATABASE_URL');
    expect(missing.stderr).toContain('Invalid configuration');

    const down = await cli(['list-customers'], {
      DATABASE_URL: 'postgres://nk:hunter2@127.0.0.1:1/nk',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      'notifykit-admin: Could not reach Postgres at 127.0.0.1:1/nk: connect ECONNREFUSED 127.0.0.1:1\n',
    );
  });
});
