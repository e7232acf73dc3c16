import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate-database.ts';

// Entry point of `pnpm migrate` / `pnpm db:migrate`: the one place migrations run in
// deployments, so worker replicas never race on DDL.

function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

// drizzle wraps driver errors ("Failed query: ..."); the Postgres reason sits in `cause`.
function explain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 5) {
    const code = (current as { code?: unknown }).code;
    parts.push(`${current.message || current.name}${typeof code === 'string' ? ` (${code})` : ''}`);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(' <- ') : String(error);
}

const connectionString = process.env.DATABASE_URL?.trim();
if (!connectionString) {
  console.error(
    'DATABASE_URL is not set. Point it at the Postgres database to migrate, ' +
      'e.g. DATABASE_URL=postgres://user:password@localhost:5432/notifykit pnpm db:migrate',
  );
  process.exitCode = 1;
} else {
  const target = describeTarget(connectionString);
  try {
    const report = await migrateDatabase(connectionString);
    if (report.applied.length === 0) {
      console.log(`${target}: up to date (${report.alreadyApplied} migration(s) already applied).`);
    } else {
      console.log(
        `${target}: applied ${report.applied.length} migration(s) from ${MIGRATIONS_FOLDER}:`,
      );
      for (const tag of report.applied) console.log(`  ${tag}`);
      console.log(`${report.alreadyApplied} were already applied.`);
    }
  } catch (error) {
    console.error(`Migrating ${target} failed: ${explain(error)}`);
    process.exitCode = 1;
  }
}
