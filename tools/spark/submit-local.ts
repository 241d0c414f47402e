/**
 * A PySpark job on this machine: `spark-submit --master local[*] boot.py JOB.py ARGS` with the
 * lake session settings, its output streamed to a log file under `.datastack/spark/logs/` and,
 * line by line, to progress. Ctrl-C stops the whole process group (the JVM and its Python).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { DriverLog, LineSplitter } from './driver-log.js';
import { errorLines, newRunId, readTail, saveRun, type SparkRun } from './runs.js';
import { sparkInstall } from './install.js';
import { publicConf, pythonScript, sessionSettings, sparkDir } from './session.js';

export interface SubmitOptions {
  /** `local[*]`, `local[2]`, or `spark://host:port` (cluster runs). */
  master?: string | undefined;
  conf?: Record<string, string> | undefined;
  args?: readonly string[] | undefined;
  /** Nessie branch for the `lake` catalog (default: the working branch, else the default branch). */
  ref?: string | undefined;
  /** Application name (default: the file's name). */
  name?: string | undefined;
  /** The file is DataStack's own script (query_sql's runner), outside the workspace. */
  ownScript?: boolean;
}

export async function submitLocal(
  ctx: ToolContext,
  file: string,
  options: SubmitOptions = {},
): Promise<SparkRun> {
  const absolute = options.ownScript ? file : ctx.workspace.resolve(file);
  const { install, env: baseEnv } = await sparkInstall(ctx);
  const master = options.master ?? 'local[*]';
  const session = sessionSettings(ctx, { ref: options.ref, conf: options.conf, jars: install.jars });
  const runId = newRunId();
  const logPath = join(sparkDir(ctx, 'logs'), `${runId}.log`);
  const metricsFile = join(sparkDir(ctx, 'metrics'), `${runId}.json`);
  session.env.DATASTACK_SPARK_METRICS_FILE = metricsFile;
  const name = options.name ?? file.replace(/^.*\//, '');
  const args = ['--master', master, '--name', name];
  for (const [key, value] of Object.entries(session.conf)) args.push('--conf', `${key}=${value}`);
  args.push(pythonScript('datastack_spark_boot.py'), absolute, ...(options.args ?? []));

  const run: SparkRun = {
    run_id: runId,
    mode: 'local',
    master,
    file: options.ownScript ? file.replace(/^.*\//, '') : ctx.workspace.display(absolute),
    ...(session.ref ? { ref: session.ref } : {}),
    state: 'RUNNING',
    started_at: new Date().toISOString(),
    log: ctx.workspace.display(logPath),
    metrics_file: metricsFile,
    conf: publicConf(session.conf),
  };
  saveRun(ctx, run);
  const started = performance.now();
  const log = new DriverLog(ctx, run, session.eventLogDir, logPath);

  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(install.submit, args, {
      cwd: ctx.workspace.root,
      env: { ...baseEnv, ...session.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C must stop the JVM and the Python driver it started.
      detached: true,
    });
    // One log for both streams; each keeps its own unfinished line.
    const out = new LineSplitter((line) => log.line(line));
    const err = new LineSplitter((line) => log.line(line));
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    child.on('close', () => {
      out.flush();
      err.flush();
    });
    const onAbort = () => killGroup(child.pid);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (exit) => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(exit);
    });
  });
  await log.close();

  run.duration_ms = Math.round(performance.now() - started);
  delete run.ui_url; // the driver and its UI are gone
  run.exit_code = code ?? -1;
  run.state = ctx.signal.aborted ? 'KILLED' : code === 0 ? 'FINISHED' : 'FAILED';
  if (run.state === 'FAILED') run.error_lines = errorLines(readTail(logPath, 200_000).text);
  saveRun(ctx, run);
  if (ctx.signal.aborted) {
    throw new ToolError('aborted', `Cancelled: the local Spark job ${run.app_id ?? run.run_id} was stopped`, {
      hint: `Its log: ${run.log}`,
    });
  }
  return run;
}

/** SIGTERM to the group (Spark's shutdown hooks stop the context), SIGKILL if it lingers. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), 10_000).unref();
}
