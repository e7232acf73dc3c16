import type { ApiKeyView, CustomerList, CustomerView } from '../services/customer-admin-schemas.ts';

// Human-readable output of `notifykit-admin`. With --json the CLI prints the admin API's `data`
// objects instead, which is what scripts should parse.

type Override = CustomerView['monthlyQuota'];

function describeLimit(effective: number | null, override: Override, unit: string): string {
  const value = effective === null ? 'unlimited' : `${effective} ${unit}`;
  return `${value} (${override === null ? 'plan default' : 'override'})`;
}

/** Aligned `label  value` lines. */
function rows(pairs: Array<[string, string]>): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** A plain-text table with a header row. */
function table(header: string[], body: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** Every fact about one customer, limits explained. */
export function formatCustomer(customer: CustomerView): string {
  const limits = customer.effectiveLimits;
  return rows([
    ['id', customer.id],
    ['name', customer.name],
    ['email', customer.email],
    ['plan', customer.plan],
    ['active', customer.isActive ? 'yes' : 'no'],
    [
      'monthly quota',
      `${describeLimit(limits.monthlyQuota, customer.monthlyQuota, 'per month')}, counts ${limits.quotaCounts.join(' + ')}`,
    ],
    [
      'rate limit',
      `${describeLimit(limits.sendRateLimitPerMinute, customer.rateLimitPerMinute, 'sends/min')}, reads ${limits.readRateLimitPerMinute ?? 'unlimited'}${limits.readRateLimitPerMinute === null ? '' : '/min'}`,
    ],
    [
      'email via',
      limits.emailKeySource === 'customer' ? "customer's SendGrid key" : 'operator key',
    ],
    ['sendgrid key', customer.sendgridKeyConfigured ? 'configured' : 'not configured'],
    ['created', customer.createdAt],
    ['updated', customer.updatedAt],
  ]);
}

/** One page of customers as a table. */
export function formatCustomerList(list: CustomerList): string {
  const { page, totalPages, total } = list.pagination;
  if (list.data.length === 0) return `No customers on page ${page} (${total} in total).`;
  const body = list.data.map((c) => [c.id, c.plan, c.isActive ? 'yes' : 'no', c.email, c.name]);
  return `${table(['ID', 'PLAN', 'ACTIVE', 'EMAIL', 'NAME'], body)}\n\nPage ${page} of ${totalPages} (${total} ${total === 1 ? 'customer' : 'customers'})`;
}

/** A customer's keys as a table. */
export function formatApiKeys(keys: ApiKeyView[]): string {
  if (keys.length === 0) return 'No API keys.';
  const body = keys.map((k) => [
    k.id,
    `…${k.lastFour}`,
    k.createdAt,
    k.lastUsedAt ?? 'never',
    k.revokedAt ?? 'active',
  ]);
  return table(['ID', 'KEY', 'CREATED', 'LAST USED', 'REVOKED'], body);
}

/** The plaintext key, with the warning that it will not be shown again. */
export function formatNewKey(apiKey: string, key: ApiKeyView): string {
  return [
    `API key ${key.id} (ends in ${key.lastFour}). It is shown only now; store it securely:`,
    '',
    `  ${apiKey}`,
  ].join('\n');
}
