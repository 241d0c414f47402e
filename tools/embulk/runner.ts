/**
 * Runs the Embulk CLI (`org.embulk.cli.Main`) for a tool call or a pipeline stage: installs Embulk
 * on first use, writes the whole log under `.datastack/embulk/`, reports progress from Embulk's
 * own log lines, and turns a failure into its error lines plus the log's path. Ctrl-C (the
 * call's abort signal) stops the JVM.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import {
  EMBULK_VERSION,
  embulkInstallDir,
  INSTALL_HINT,
  installEmbulk,
  installLayout,
  isInstalled,
  pluginProperties,
  type EmbulkInstall,
} from './install.js';

export interface EmbulkOptions {
  /** Where Embulk is (or goes): default `<cache>/embulk-0.11.4`. */
  installDir?: string;
  /** Install from Maven when missing (default true); false makes a missing install an error. */
  autoInstall?: boolean;
  /** The log file's name stem (default: the config file's name). */
  logName?: string;
}

export interface EmbulkExec {
  /** Every line Embulk printed (stdout and stderr, in order). */
  lines: string[];
  logPath: string;
  seconds: number;
}

/** The folder of Embulk logs and staging output in a project. */
export const embulkStateDir = (root: string) => join(root, '.datastack', 'embulk');

/** The install to use, installing it first when allowed. */
export async function ensureEmbulk(
  ctx: ToolContext,
  options: EmbulkOptions = {},
): Promise<{ install: EmbulkInstall; env: NodeJS.ProcessEnv }> {
  const { runtimeFor } = await import('../stack/runtime.js');
  const rt = runtimeFor(ctx);
  const dir = options.installDir ?? embulkInstallDir(rt.cacheDir);
  if (isInstalled(dir)) return { install: installLayout(dir), env: rt.env };
  if (options.autoInstall === false) {
    throw new ToolError('config', `Embulk ${EMBULK_VERSION} is not installed in ${dir}`, {
      hint: INSTALL_HINT,
    });
  }
  return {
    install: await installEmbulk(dir, { env: rt.env, signal: ctx.signal, progress: ctx.progress }),
    env: rt.env,
  };
}

const PROGRESS = /\{done:\s*(\d+)\s*\/\s*(\d+), running: (\d+)\}/;
const INFO = /\[INFO\] \([^)]*\): (.*)$/;

/**
 * `embulk <command> [args…]` in the workspace root (so relative paths in configs are the
 * project's). Throws a ToolError holding Embulk's error lines when it exits non-zero.
 */
export async function execEmbulk(
  ctx: ToolContext,
  command: 'run' | 'preview' | 'guess',
  args: readonly string[],
  options: EmbulkOptions = {},
): Promise<EmbulkExec> {
  const { install, env } = await ensureEmbulk(ctx, options);
  const [{ findJava }, { runCommand, CommandFailed }] = await Promise.all([
    import('../stack/jvm.js'),
    import('../stack/processes.js'),
  ]);
  // 0.11 supports Java 8 officially and works on 11–21; Java 25 is untested by Embulk.
  const java = findJava(11, env, 21);
  const logDir = embulkStateDir(ctx.workspace.root);
  mkdirSync(logDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logPath = join(logDir, `${options.logName ?? 'embulk'}-${command}-${stamp}.log`);
  const log = createWriteStream(logPath);
  const lines: string[] = [];
  const started = Date.now();
  ctx.progress({ done: 0, message: `embulk ${command}: starting Embulk ${EMBULK_VERSION}` });
  const onLine = (line: string) => {
    lines.push(line);
    log.write(`${line}\n`);
    const done = PROGRESS.exec(line);
    if (done) {
      ctx.progress({
        done: Number(done[1]),
        total: Number(done[2]),
        message: `embulk ${command}: ${done[1]}/${done[2]} tasks done, ${done[3]} running`,
      });
      return;
    }
    const info = INFO.exec(line)?.[1];
    if (info && /^(Loaded plugin|Loading files|Writing local file|Committed)/.test(info)) {
      ctx.progress({ done: 0, message: `embulk ${command}: ${info}` });
    }
  };
  const argv = [
    '-cp',
    `${install.lib}/*`,
    'org.embulk.cli.Main',
    command,
    ...pluginProperties(install),
    ...args,
  ];
  try {
    await runCommand(java.java, argv, {
      cwd: ctx.workspace.root,
      env: { ...env, JAVA_HOME: java.home },
      signal: ctx.signal,
      onLine,
    });
  } catch (error) {
    if (ctx.signal.aborted)
      throw new ToolError('aborted', `Cancelled: the Embulk ${command} was stopped`, {
        hint: `Its log: ${logPath}`,
        cause: error,
      });
    if (!(error instanceof CommandFailed)) throw error;
    const errors = errorLines(lines);
    throw new ToolError('query_error', `Embulk ${command} failed:\n${errors.join('\n')}`, {
      hint: `The full log is ${ctx.workspace.display(logPath)}; check the config with \`datastack embulk validate\``,
      cause: error,
    });
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
  return { lines, logPath, seconds: (Date.now() - started) / 1000 };
}

/** Embulk's own summary (`Error: …`) and the causes under it, without the stack frames. */
export function errorLines(lines: readonly string[]): string[] {
  const picked = lines.filter((l) => /^(Error: |Caused by: )|\[ERROR\]/.test(l.trim()));
  const unique = [...new Set(picked.map((l) => l.trim()))];
  return (unique.length ? unique : lines.slice(-5)).slice(0, 8);
}

/** Local files Embulk's file output wrote, from its `Writing local file '…'` lines. */
export function writtenFiles(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    const match = /Writing local file '([^']+)'/.exec(line);
    return match?.[1] ? [match[1]] : [];
  });
}
