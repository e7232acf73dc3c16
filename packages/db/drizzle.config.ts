import { defineConfig } from 'drizzle-kit';

// `pnpm generate` diffs the schema against migrations/meta and writes the next SQL file.
// Generated SQL is reviewed and committed; `pnpm migrate` applies it.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
