// Benchmark of GET /api/v1/notifications/jobs over 100,000 jobs of one customer.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
//     node bench/list-jobs.bench.ts [--jobs=100000] [--requests=200] [--no-http] [--write-docs]
//
// It creates its own database (nk_bench_*, dropped at the end) and Redis prefix, so it is safe
// next to a running installation. --write-docs replaces the Performance block of docs/api.md.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/api/src/app.ts';
import { generateApiKey } from '../apps/api/src/auth/api-key-material.ts';
import { type AppDeps, createDependencies } from '../apps/api/src/dependencies.ts';
import { loadApiEnv } from '../apps/api/src/env.ts';
import { createCustomersRepository, createDatabase } from '../packages/db/src/index.ts';
import { createLogger } from '../packages/runtime/src/index.ts';
import { createBenchDatabase, seedJobs } from './bench-database.ts';
import { explainListQueries } from './bench-explain.ts';
import {
  describeMachine,
  markdownTable,
  resultsTable,
  type ScenarioResult,
  summarise,
  writeDocsSection,
} from './bench-report.ts';

const TARGET_MS = 50;
const OTHER_CUSTOMERS = 3;
const OTHER_CUSTOMER_JOBS = 20_000;

/** One list request as the SDK would send it. */
interface Scenario {
  name: string;
  query: string;
  targeted: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'page 1', query: 'limit=20', targeted: true },
  { name: 'page 1, type=email', query: 'type=email&limit=20', targeted: true },
  { name: 'page 1, status=failed', query: 'status=failed&limit=20', targeted: true },
  {
    name: 'page 1, type=webhook&status=failed',
    query: 'type=webhook&status=failed&limit=20',
    targeted: true,
  },
  // Not part of the target: shows what OFFSET paging costs deep into the history.
  { name: 'page 250 (offset 4,980)', query: 'page=250&limit=20', targeted: false },
];

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    'no-http': { type: 'boolean', default: false },
    'write-docs': { type: 'boolean', default: false },
  },
});
const jobCount = Number(args.jobs);
const requestCount = Number(args.requests);
const warmupCount = Number(args.warmup);
for (const [name, value] of [
  ['--jobs', jobCount],
  ['--requests', requestCount],
] as const) {
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`${name} must be a positive integer\n`);
    process.exit(1);
  }
}
if (!Number.isSafeInteger(warmupCount) || warmupCount < 0) {
  process.stderr.write('--warmup must be a non-negative integer\n');
  process.exit(1);
}

const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL) {
  process.stderr.write('Set DATABASE_URL and REDIS_URL (a role that may CREATE DATABASE).\n');
  process.exit(1);
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** SCAN + UNLINK under our prefix only (the prefix holds no glob metacharacters). */
async function deleteRedisPrefix(redis: AppDeps['redis'], prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

async function measure(label: string, call: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmupCount; i += 1) await call();
  const samples: number[] = [];
  for (let i = 0; i < requestCount; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  log(`  measured ${label}`);
  return samples;
}

const benchDatabase = await createBenchDatabase(DATABASE_URL);
const database = createDatabase(benchDatabase.url, { max: 4 });
const redisPrefix = `nkbench_${randomBytes(4).toString('hex')}`;
let cleanup: () => Promise<void> = async () => {};

try {
  log(`database ${benchDatabase.name}: seeding ${jobCount} jobs (+ ${OTHER_CUSTOMERS} others)`);
  const customers = createCustomersRepository(database.db);
  const key = generateApiKey();
  const { customer } = await customers.createWithApiKey(
    { name: 'Bench Enterprise', email: 'bench@example.com', plan: 'enterprise' },
    { keyHash: key.keyHash, lastFour: key.lastFour },
  );
  const seedStarted = performance.now();
  await seedJobs(database, customer.id, jobCount, 0.42);
  for (let i = 0; i < OTHER_CUSTOMERS; i += 1) {
    const other = await customers.create({
      name: `Neighbour ${i}`,
      email: `neighbour${i}@example.com`,
      plan: 'startup',
    });
    await seedJobs(database, other.id, OTHER_CUSTOMER_JOBS, i / 10);
  }
  // Autovacuum keeps the visibility map current in production; without it a fresh table
  // could not use index-only scans for the count.
  await database.pool.query('VACUUM (ANALYZE) jobs');
  log(`  seeded and analysed in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const env = loadApiEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: benchDatabase.url,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
  });
  const deps = createDependencies(env, createLogger({ name: 'bench', level: 'silent' }));
  const app = await buildApp(deps);
  await app.ready();
  cleanup = async () => {
    await app.close();
    await deleteRedisPrefix(deps.redis, `${redisPrefix}:`);
    await deps.close();
  };
  const headers = { 'x-api-key': key.plaintext };

  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    const url = `/api/v1/notifications/jobs?${scenario.query}`;
    const first = await app.inject({ method: 'GET', url, headers });
    if (first.statusCode !== 200)
      throw new Error(`${url} answered ${first.statusCode}: ${first.body}`);
    const body = first.json() as { data: { data: unknown[]; pagination: { total: number } } };
    log(`${scenario.name}: total ${body.data.pagination.total}, ${body.data.data.length} rows`);
    const samples = await measure(`${scenario.name} via inject`, async () => {
      const response = await app.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
    });
    results.push(summarise(scenario, 'inject', samples));
  }

  if (!args['no-http']) {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    for (const scenario of SCENARIOS) {
      const url = `${address}/api/v1/notifications/jobs?${scenario.query}`;
      const samples = await measure(`${scenario.name} via http`, async () => {
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      });
      results.push(summarise(scenario, 'http', samples));
    }
  }

  const plans = await explainListQueries(app, deps.database.pool, database, SCENARIOS, headers);
  const version = await database.pool.query<{ server_version: string }>('SHOW server_version');
  const machine = describeMachine(version.rows[0]?.server_version ?? 'unknown');
  const command = `node bench/list-jobs.bench.ts --jobs=${jobCount} --requests=${requestCount}`;
  const table = resultsTable(results, TARGET_MS);

  log('\nQuery plans (EXPLAIN ANALYZE, as the jobs repository issues them):');
  for (const plan of plans) log(`\n-- ${plan.scenario}, ${plan.query}\n${plan.text}`);
  log(`\n${table}\n\n${machine}\n`);

  if (args['write-docs']) {
    const section = [
      `Command: \`${command}\` (warm-up ${warmupCount} requests per row, then ${requestCount} ` +
        'sequential requests). `inject` is the server-side cost through Fastify without a socket; ' +
        '`http` adds a keep-alive loopback connection.',
      '',
      `Run: ${new Date().toISOString().slice(0, 10)} on ${machine}. Data: ${jobCount.toLocaleString('en')} jobs of the measured ` +
        `(enterprise) customer plus ${OTHER_CUSTOMERS} × ${OTHER_CUSTOMER_JOBS.toLocaleString('en')} of other customers.`,
      '',
      table,
      '',
      'Query plans of the list (page) and count queries:',
      '',
      markdownTable(
        ['request', 'query', 'plan', 'execution ms'],
        ['left', 'left', 'left', 'right'],
        plans.map((p) => [p.scenario, p.query, p.summary, p.executionMs.toFixed(2)]),
      ),
    ].join('\n');
    const docsPath = fileURLToPath(new URL('../docs/api.md', import.meta.url));
    await writeDocsSection(docsPath, section);
    log(`wrote results into ${docsPath}`);
  }
} finally {
  await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  await database.close();
  await benchDatabase.drop();
}
