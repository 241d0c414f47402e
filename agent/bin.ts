#!/usr/bin/env node
/**
 * The `datastack` executable. Kept tiny: `--version` answers before anything is imported, and the
 * command tree (agent/cli/program.ts) loads only what the chosen command needs.
 */
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('./cli/program.js');
  process.exitCode = await main(argv);
}
