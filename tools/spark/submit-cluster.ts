/**
 * A PySpark job on a standalone cluster through its REST submission API. Standalone cluster mode
 * has no Python support of its own, so the driver DataStack submits is SparkSubmit itself
 * (mainClass `org.apache.spark.deploy.SparkSubmit`), which runs the bootstrap and the job in
 * client mode on the worker it lands on. The job file must be readable at the same path there
 * (true for `stack up spark`, which runs the worker on this machine).
 *
 * While it runs, the driver's output is read from its worker's UI into our own log file; Ctrl-C
 * kills the driver through the API and waits until the master says KILLED.
 */
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { DriverLog, LineSplitter } from './driver-log.js';
import { sparkInstall } from './install.js';
import { SparkRestClient } from './rest-client.js';
import { errorLines, newRunId, readTail, saveRun, type RunState, type SparkRun } from './runs.js';
import { publicConf, pythonScript, sessionSettings, sparkDir } from './session.js';
import type { SubmitOptions } from './submit-local.js';

const FINAL: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'KILLED', 'ERROR']);
const POLL_MS = 1_000;

/** The REST client for the profile's cluster (rest_url, else port 6066 of the master's host). */
export function restClient(ctx: ToolContext, master?: string): SparkRestClient {
  const section = ctx.config.spark;
  const target = master ?? section.master;
  let rest = section.rest_url;
  if (!rest) {
    const host = /^spark:\/\/([^:/]+)/.exec(target)?.[1];
    if (!host) {
      throw new ToolError(
        'config',
        `No Spark REST submission API is configured (spark.master is ${target})`,
        {
          hint: 'Start a cluster with `datastack stack up spark` and use --profile stack, or set spark.rest_url',
        },
      );
    }
    rest = `http://${host}:6066`;
  }
  return new SparkRestClient(rest.replace(/\/+$/, ''), section.ui_url);
}

export async function submitCluster(
  ctx: ToolContext,
  file: string,
  options: SubmitOptions = {},
): Promise<SparkRun> {
  const absolute = ctx.workspace.resolve(file);
  const master = options.master ?? ctx.config.spark.master;
  const client = restClient(ctx, master);
  const { install } = await sparkInstall(ctx);
  const session = sessionSettings(ctx, { ref: options.ref, conf: options.conf, jars: install.jars });
  const name = options.name ?? file.replace(/^.*\//, '');
  const boot = pythonScript('datastack_spark_boot.py');
  const properties: Record<string, string> = {
    // Small by default: the local worker has 2 cores, one for this driver, one for an executor.
    'spark.driver.cores': '1',
    'spark.driver.memory': '512m',
    'spark.executor.cores': '1',
    'spark.executor.memory': '512m',
    'spark.cores.max': '1',
    'spark.pyspark.python': install.python,
    'spark.pyspark.driver.python': install.python,
    ...session.conf,
    'spark.app.name': name,
    'spark.master': master,
  };
  const runId = newRunId();
  const logPath = join(sparkDir(ctx, 'logs'), `${runId}.log`);
  const metricsFile = join(sparkDir(ctx, 'metrics'), `${runId}.json`);
  session.env.DATASTACK_SPARK_METRICS_FILE = metricsFile;
  const started = performance.now();
  const answer = await client.create(
    {
      action: 'CreateSubmissionRequest',
      appResource: `file:${boot}`,
      mainClass: 'org.apache.spark.deploy.SparkSubmit',
      // SparkSubmit defaults to local[*] without --master, whatever spark.master says.
      appArgs: [
        '--master',
        master,
        '--deploy-mode',
        'client',
        '--name',
        name,
        boot,
        absolute,
        ...(options.args ?? []),
      ],
      sparkProperties: properties,
      environmentVariables: {
        ...session.env,
        PYSPARK_PYTHON: install.python,
        PYSPARK_DRIVER_PYTHON: install.python,
      },
      clientSparkVersion: install.version,
    },
    ctx.signal,
  );
  if (!answer.success || !answer.submissionId) {
    throw new ToolError(
      'unavailable',
      `The master refused the submission: ${answer.message ?? 'no reason given'}`,
      {
        hint: 'Is a worker registered? `datastack stack status`; see `datastack stack logs spark-master`',
      },
    );
  }
  const run: SparkRun = {
    run_id: runId,
    submission_id: answer.submissionId,
    mode: 'cluster',
    master,
    file: ctx.workspace.display(absolute),
    ...(session.ref ? { ref: session.ref } : {}),
    state: 'SUBMITTED',
    started_at: new Date().toISOString(),
    log: ctx.workspace.display(logPath),
    metrics_file: metricsFile,
    conf: publicConf(session.conf),
    rest_url: client.restUrl,
  };
  saveRun(ctx, run);
  ctx.progress({ done: 0, message: `submitted as ${answer.submissionId}` });
  const log = new DriverLog(ctx, run, session.eventLogDir, logPath);
  try {
    await follow(ctx, client, run, log);
  } finally {
    await log.close();
  }
  run.duration_ms = Math.round(performance.now() - started);
  delete run.ui_url;
  if (run.state !== 'FINISHED') {
    run.error_lines = errorLines(readTail(logPath, 200_000).text);
  }
  saveRun(ctx, run);
  if (ctx.signal.aborted) {
    throw new ToolError(
      'aborted',
      `Cancelled: driver ${run.submission_id ?? ''} was killed on the master (${run.state})`,
      {
        hint: `Its log: ${run.log}`,
      },
    );
  }
  return run;
}

/** Polls the driver's state and copies its new output until it ends (or is killed on abort). */
async function follow(
  ctx: ToolContext,
  client: SparkRestClient,
  run: SparkRun,
  log: DriverLog,
): Promise<void> {
  const id = run.submission_id ?? '';
  const offsets = { stdout: 0, stderr: 0 };
  // Each stream keeps its own unfinished line between polls.
  const streams = {
    stdout: new LineSplitter((line) => log.line(line)),
    stderr: new LineSplitter((line) => log.line(line)),
  };
  let workerUi: string | undefined;
  let killed = false;
  let polls = 0;
  const quiet = new AbortController().signal; // reads that must finish even after Ctrl-C
  for (;;) {
    if (ctx.signal.aborted && !killed) {
      killed = true;
      ctx.progress({ done: 0, message: `killing ${id} on the master` });
      await client.kill(id, quiet);
    }
    const status = await client.status(id, quiet);
    const state = (status.driverState ?? 'UNKNOWN') as RunState;
    if (state === 'RUNNING' && run.state !== 'RUNNING') {
      run.state = 'RUNNING';
      saveRun(ctx, run);
    }
    if (!workerUi && status.workerId && client.uiUrl) {
      const master = await client.master(quiet).catch(() => undefined);
      workerUi = master?.workers?.find((w) => w.id === status.workerId)?.webuiaddress;
    }
    if (workerUi) {
      for (const type of ['stderr', 'stdout'] as const) {
        // Drain what is there; the worker serves up to 1 MiB a call.
        for (;;) {
          const part = await client
            .driverLog(workerUi, id, type, offsets[type], quiet)
            .catch(() => undefined);
          if (!part || part.end <= offsets[type]) break;
          offsets[type] = part.end;
          streams[type].push(part.text);
          if (part.end >= part.total) break;
        }
      }
    }
    if (FINAL.has(state)) {
      streams.stdout.flush();
      streams.stderr.flush();
      run.state = state;
      if (state === 'ERROR' && status.message) log.line(status.message);
      return;
    }
    // A kill the master never confirms must not hang Ctrl-C: half a minute, then give up.
    if (killed && (polls += 1) > 30) {
      run.state = 'UNKNOWN';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
