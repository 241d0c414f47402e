/**
 * One training under an MLflow run that DataStack owns, shared by `experiment run` and
 * `experiment reproduce`: create the run with its provenance and params, train with
 * MLFLOW_RUN_ID set (a script that logs to MLflow itself lands in the same run), then log the
 * metrics and artifacts and close the run. Whatever happens, the run does not stay RUNNING:
 * FAILED when the training fails, KILLED on an abort.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import type { ToolContext } from '../core/types.js';
import type { MlflowClient } from '../mlflow/client.js';
import type { ApiRun, RunStatus } from '../mlflow/model.js';
import { flattenParams, outputPaths, type ExperimentConfig } from './experiment-config.js';
import {
  dataVersions,
  envLockHash,
  gitFacts,
  projectLockFile,
  provenanceTags,
  TAG,
  type DataVersion,
  type GitFacts,
} from './provenance.js';
import { logMetrics, uploadArtifacts } from './run-outputs.js';
import { projectPython, trainingCommand, trainingEnv } from './training-command.js';
import { runTraining } from './training-process.js';

export interface TrainingSession {
  client: MlflowClient;
  trackingUri: string;
  experimentId: string;
  runName?: string | undefined;
  /** The project: its .venv, and `.datastack/experiments/<run>/` for the run's files. */
  projectDir: string;
  /** Where the code runs: the project, or a reproduction's worktree. */
  codeDir: string;
  /** The config after overrides; written to the run's folder and given to the training. */
  config: ExperimentConfig;
  /** The config file as given (`configs/experiment.yaml`), recorded as a tag. */
  configPath: string;
  overrides: readonly string[];
  /** The DataStack command line, for the `datastack.command` tag. */
  command: string;
  extraTags?: Record<string, string>;
  /** The environment the training inherits (PATH, HOME, proxies). */
  baseEnv: NodeJS.ProcessEnv;
}

export interface TrainingResult {
  run: ApiRun;
  metrics: Record<string, number>;
  loggedByScript: string[];
  artifacts: string[];
  /** The run's folder in the project: effective config, train.log, lock. */
  runDir: string;
  logFile: string;
  git: GitFacts | undefined;
  data: DataVersion[];
  envLock: string;
  durationMs: number;
}

export async function trainUnderRun(session: TrainingSession, ctx: ToolContext): Promise<TrainingResult> {
  const { client, projectDir, codeDir } = session;
  const display = ctx.workspace.display(projectDir);
  const python = projectPython(projectDir, display);
  ctx.progress({ done: 0, message: 'reading provenance (git, DVC, environment)' });
  const [git, data] = await Promise.all([gitFacts(codeDir), dataVersions(codeDir)]);
  const projectLock = projectLockFile(projectDir);
  const tags = {
    ...provenanceTags({
      git,
      data,
      envLock: projectLock ? envLockHash(projectLock) : undefined,
      version: datastackVersion(),
      config: session.configPath,
      overrides: session.overrides,
      command: session.command,
    }),
    ...session.extraTags,
  };
  const created = await client.createRun(session.experimentId, {
    ...(session.runName ? { name: session.runName } : {}),
    tags,
    signal: ctx.signal,
  });
  const runId = created.info.run_id;
  const runDir = join(projectDir, '.datastack', 'experiments', runId);
  const logFile = join(runDir, 'train.log');
  const configFile = join(runDir, 'experiment.yaml');
  const started = Date.now();
  // From here on the run exists: every way out closes it.
  try {
    mkdirSync(runDir, { recursive: true });
    const { stringify } = await import('yaml');
    writeFileSync(configFile, stringify(session.config));
    const lockFile = projectLock ?? (await exportLock(projectDir, runDir, ctx));
    const envLock = envLockHash(lockFile);
    await client.logBatch(
      runId,
      { params: flattenParams(session.config), ...(projectLock ? {} : { tags: { [TAG.envLock]: envLock } }) },
      ctx.signal,
    );

    const train = await trainingCommand([codeDir, projectDir], python, configFile);
    ctx.log.info(`Run ${runId}: ${train.display} (log: ${ctx.workspace.display(logFile)})`);
    const outcome = await runTraining({
      command: train.command,
      args: train.args,
      cwd: codeDir,
      env: trainingEnv(session.baseEnv, projectDir, codeDir, {
        MLFLOW_TRACKING_URI: session.trackingUri,
        MLFLOW_RUN_ID: runId,
        MLFLOW_EXPERIMENT_ID: session.experimentId,
        ...mlflowCredentials(ctx),
      }),
      logFile,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    if (outcome.aborted)
      throw new ToolError('aborted', `Cancelled: the training was stopped and run ${runId} marked KILLED`);
    if (outcome.code !== 0) {
      const lines = errorLines(outcome.tail);
      await client.logBatch(runId, { tags: { 'datastack.error': lines.join('\n').slice(-5000) } });
      throw new ToolError(
        'invalid_input',
        // The output is the user's code talking (or data it printed): fenced, never instructions.
        `The training failed (exit code ${outcome.code ?? 'signal'}); run ${runId} is marked FAILED. Last lines:\n${fenceUntrusted('training output', lines.join('\n'))}`,
        { hint: `Full log: ${ctx.workspace.display(logFile)}` },
      );
    }

    ctx.progress({ done: outcome.lines, message: 'logging metrics and artifacts' });
    const outputs = outputPaths(session.config);
    const metricsFile = join(codeDir, outputs.metrics);
    const collected = await logMetrics(client, runId, metricsFile, outputs.metrics, started);
    const artifacts = await uploadArtifacts(client, created, [
      { file: metricsFile, folder: '' },
      { file: join(codeDir, outputs.model), folder: 'model' },
      { file: configFile, folder: 'config' },
      { file: lockFile, folder: 'environment' },
      { file: logFile, folder: 'logs' },
    ]);
    await client.setRunStatus(runId, 'FINISHED');
    return {
      run: await client.getRun(runId),
      ...collected,
      artifacts,
      runDir,
      logFile,
      git,
      data,
      envLock,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    await closeRun(client, runId, ctx.signal.aborted ? 'KILLED' : 'FAILED', logFile, created, ctx);
    if (ctx.signal.aborted && !(error instanceof ToolError && error.code === 'aborted')) {
      throw new ToolError('aborted', `Cancelled; run ${runId} is marked KILLED`, { cause: error });
    }
    throw error;
  }
}

/**
 * Marks the run FAILED or KILLED and keeps its log with it. Without the tool's signal: after a
 * Ctrl-C that signal is aborted, and these calls are the ones that must still go out.
 */
async function closeRun(
  client: MlflowClient,
  runId: string,
  status: RunStatus,
  logFile: string,
  run: ApiRun,
  ctx: ToolContext,
): Promise<void> {
  try {
    await uploadArtifacts(client, run, [{ file: logFile, folder: 'logs' }]);
  } catch (error) {
    ctx.log.warn(`Could not upload the log of run ${runId}: ${(error as Error).message}`);
  }
  try {
    await client.setRunStatus(runId, status);
    // After an abort the faces say only "Cancelled": this names the run.
    ctx.log.warn(`Run ${runId} marked ${status}`);
  } catch (error) {
    ctx.log.error(`Run ${runId} could not be marked ${status}: ${(error as Error).message}`);
  }
}

/** No requirements.lock in the project: lock the .venv the same way `env export` does, into the run's folder. */
async function exportLock(projectDir: string, runDir: string, ctx: ToolContext): Promise<string> {
  const { exportEnvironment } = await import('../env/export-env.js');
  const output = relative(projectDir, join(runDir, 'requirements.lock'));
  const result = await exportEnvironment({ project: ctx.workspace.display(projectDir), output }, ctx);
  return ctx.workspace.resolve(result.lock_file);
}

/** A script that logs to MLflow itself needs the profile's credentials as MLflow's own variables. */
function mlflowCredentials(ctx: ToolContext): Record<string, string> {
  const section = ctx.config.mlflow;
  const env: Record<string, string> = {};
  if (section?.token) env.MLFLOW_TRACKING_TOKEN = section.token;
  if (section?.username) env.MLFLOW_TRACKING_USERNAME = section.username;
  if (section?.password) env.MLFLOW_TRACKING_PASSWORD = section.password;
  return env;
}

/** The end of a traceback, or else the last lines: what a person reads first. */
function errorLines(tail: readonly string[]): string[] {
  const start = tail.findLastIndex((line) => line.startsWith('Traceback (most recent call last)'));
  const lines = start >= 0 ? tail.slice(start) : tail;
  return lines.slice(-12);
}

let version: string | undefined;

/** package.json sits two folders up from source and three from dist/. */
export function datastackVersion(): string {
  if (version) return version;
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'datastack' && pkg.version) return (version = pkg.version);
    } catch {
      // Try the next level.
    }
  }
  return (version = 'unknown');
}
