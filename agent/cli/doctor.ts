/**
 * `datastack doctor`: runs every check of doctor-checks.ts at once (services time out after 2s,
 * so a dead stack costs 2s, not 2s each) and prints what is wrong and what to do.
 */
import { scrubSecrets } from '../../tools/core/config.js';
import { loadCliConfig } from './config-command.js';
import {
  LOCAL_CHECKS,
  serviceChecks,
  type CheckResult,
  type CheckStatus,
  type DoctorCheck,
} from './doctor-checks.js';
import { EXIT, type CliGlobals, type CliIO } from './io.js';
import { startSpinner } from './progress.js';
import { renderJson } from './render.js';

export const SERVICE_TIMEOUT_MS = 2000;

export interface DoctorReport {
  ok: boolean;
  profile?: string;
  checks: Array<CheckResult & { id: string; title: string; required: boolean }>;
}

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export async function runDoctor(io: CliIO, globals: CliGlobals): Promise<number> {
  const loaded = await loadCliConfig(io, globals);
  const config = loaded.ok ? loaded.config : undefined;
  const configCheck: DoctorCheck = {
    id: 'config',
    title: 'Configuration',
    required: true,
    run: () =>
      loaded.ok
        ? {
            status: 'ok',
            detail: `profile ${loaded.config.profile}; files: ${loaded.config.files.join(', ') || 'none (defaults)'}`,
          }
        : {
            status: 'fail',
            detail: loaded.error.message,
            hint: loaded.error.hint ?? 'See `datastack config path`',
          },
  };
  const checks = [configCheck, ...LOCAL_CHECKS, ...serviceChecks(config)];
  const spinner = globals.json ? undefined : startSpinner(io.stderr, `checking ${checks.length} components…`);
  const input = { config, env: io.env, timeoutMs: SERVICE_TIMEOUT_MS };
  const results = await Promise.all(
    checks.map(async (check) => {
      // Promise.resolve().then also turns a check that throws synchronously into a failed result.
      const result = await Promise.resolve()
        .then(() => check.run(input))
        .catch((error: unknown): CheckResult => ({
          status: 'fail',
          detail: `check crashed: ${(error as Error).message}`,
        }));
      return { id: check.id, title: check.title, required: check.required, ...result };
    }),
  );
  spinner?.stop();

  const failed = results.filter((r) => r.status === 'fail' && r.required);
  const report: DoctorReport = {
    ok: failed.length === 0,
    ...(config ? { profile: config.profile } : {}),
    checks: results,
  };
  const text = globals.json ? renderJson(report) : humanReport(report);
  io.stdout.write(scrubSecrets(text, config?.secrets ?? []));
  return report.ok ? EXIT.ok : EXIT.failure;
}

function humanReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]} ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.hint && check.status !== 'ok') lines.push(`  ${' '.repeat(width)}  hint: ${check.hint}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail' && c.required);
  const warned = report.checks.filter((c) => c.status === 'warn' || (c.status === 'fail' && !c.required));
  lines.push('');
  if (failed.length) lines.push(`${failed.length} problem(s): ${failed.map((c) => c.id).join(', ')}`);
  else lines.push(warned.length ? `Ready, with ${warned.length} warning(s).` : 'All good.');
  return `${lines.join('\n')}\n`;
}
