#!/usr/bin/env node
import { runAdminCli } from './run-admin-cli.ts';

// `notifykit-admin` / `pnpm admin`: the operator's command line, sharing the admin API's
// service module. See docs/operations.md.
process.exitCode = await runAdminCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
