/**
 * `pipeline run --environment local`: the stages in order on this machine. Each stage is one child
 * process (its own process group, so Ctrl-C stops it and what it started) with its output in
 * `.datastack/pipelines/NAME/runs/<id>/<stage>.log` and, line by line, in progress. A stage whose
 * fingerprint and outputs are unchanged since its last success is skipped; a failing stage's
 * outputs are removed, so no half-written file is taken for a result, and the run stops there.
 * Kept lean: per stage one spawn, one state write, and hashes only of files that changed.
 */
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import type { ToolContext } from '../core/types.js';
import { runTraining } from '../experiment/training-process.js';
import type { LoadedPipeline } from './load-pipeline.js';
import type { StageSpec } from './model.js';
import { runDir, stateFile } from './paths.js';
import { shellLine, stageInvocation } from './stage-command.js';
import {
  outputsIntact,
  outputStamps,
  readState,
  stageFingerprint,
  writeState,
  type StageStatus,
} from './state.js';
import type { StageResult } from './schemas.js';

export interface LocalRunOptions {
  projectDir: string;
  runId: string;
  force: boolean;
  /** Run from this stage on; the ones before are taken as they are. */
  from?: string | undefined;
  /** Variables every stage inherits (PATH, HOME, …), handed in by the tool. */
  baseEnv: NodeJS.ProcessEnv;
  /** Told of each stage's start and end (MLflow tracking with --track-all). */
  observer?: StageObserver | undefined;
}

export interface StageObserver {
  stageStarted(stage: StageSpec): Promise<void>;
  stageEnded(stage: StageSpec, result: StageResult): Promise<void>;
}

export interface LocalRunResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  stages: StageResult[];
  logDir: string;
  /** The failure, already worded for the user (thrown by the tool after tracking closes). */
  error?: ToolError;
}

export async function runLocal(
  pipeline: LoadedPipeline,
  options: LocalRunOptions,
  ctx: ToolContext,
): Promise<LocalRunResult> {
  const { projectDir, runId } = options;
  const name = pipeline.spec.name;
  const logDir = runDir(projectDir, name, runId);
  mkdirSync(logDir, { recursive: true });
  const statePath = stateFile(projectDir, name);
  const state = readState(statePath);
  const order = pipeline.order;
  const start = options.from ? order.findIndex((stage) => stage.name === options.from) : 0;
  if (start < 0) {
    throw new ToolError('invalid_input', `--from ${options.from}: no such stage in ${pipeline.display}`, {
      hint: `Stages: ${order.map((stage) => stage.name).join(', ')}`,
    });
  }
  const results: StageResult[] = order
    .slice(0, start)
    .map((stage) => ({ name: stage.name, status: 'not_run', reason: 'before --from' }));
  const at = { projectDir, profile: ctx.config.profile };

  for (const [index, stage] of order.entries()) {
    if (index < start) continue;
    const step = `[${index + 1}/${order.length}] ${stage.name}`;
    const invocation = stageInvocation(stage, at);
    const fingerprint = stageFingerprint(projectDir, stage, invocation, state);
    const previous = state.stages[stage.name];
    const unchanged =
      previous?.fingerprint === fingerprint &&
      previous.status !== 'failed' &&
      outputsIntact(projectDir, previous, stage);
    if (unchanged && !options.force && index !== (options.from ? start : -1)) {
      ctx.progress({ done: index + 1, total: order.length, message: `${step}: unchanged, skipped` });
      const result: StageResult = {
        name: stage.name,
        status: 'skipped',
        reason: 'inputs, params and code unchanged',
      };
      results.push(result);
      await options.observer?.stageEnded(stage, result);
      continue;
    }
    const reason = options.force
      ? 'forced'
      : !previous
        ? 'first run'
        : previous.fingerprint !== fingerprint
          ? 'inputs, params or code changed'
          : 'outputs changed or missing';
    ctx.progress({ done: index, total: order.length, message: `${step}: running (${reason})` });
    await options.observer?.stageStarted(stage);
    for (const output of stage.outputs) mkdirSync(dirname(join(projectDir, output)), { recursive: true });
    const logFile = join(logDir, `${stage.name}.log`);
    writeFileSync(logFile, `$ ${shellLine(invocation)}\n`);
    const started = performance.now();
    const outcome = await runTraining({
      command: invocation.command,
      args: invocation.args,
      cwd: invocation.cwd,
      env: { ...options.baseEnv, ...invocation.env },
      logFile,
      signal: ctx.signal,
      progress: (update) =>
        ctx.progress({ done: index, total: order.length, message: `${stage.name}: ${update.message ?? ''}` }),
    }).catch((error: Error) => ({
      code: 127,
      aborted: false,
      tail: [`${invocation.command}: ${error.message}`],
      lines: 1,
    }));
    const duration = Math.round(performance.now() - started);
    const log = ctx.workspace.display(logFile);
    const missing =
      outcome.code === 0
        ? stage.outputs.filter((output) => !outputStamps(projectDir, { ...stage, outputs: [output] })[output])
        : [];
    const status: StageStatus = outcome.aborted
      ? 'cancelled'
      : outcome.code === 0 && missing.length === 0
        ? 'succeeded'
        : 'failed';

    if (status !== 'succeeded') {
      // Whatever the stage wrote before it stopped is not a result: gone, so nothing reads it.
      for (const output of stage.outputs) rmSync(join(projectDir, output), { recursive: true, force: true });
      state.stages[stage.name] = {
        ...previous,
        status,
        run_id: runId,
        environment: 'local',
        finished_at: new Date().toISOString(),
        duration_ms: duration,
        log,
      };
      writeState(statePath, state);
      const lines = missing.length
        ? [`exited 0 but did not write ${missing.join(', ')}`]
        : errorLines(outcome.tail);
      const result: StageResult = {
        name: stage.name,
        status,
        duration_ms: duration,
        log,
        ...(status === 'failed' ? { error_lines: lines } : {}),
      };
      results.push(result);
      await options.observer?.stageEnded(stage, result);
      for (const rest of order.slice(index + 1))
        results.push({ name: rest.name, status: 'not_run', reason: `${stage.name} ${status}` });
      return {
        status: status === 'cancelled' ? 'cancelled' : 'failed',
        stages: results,
        logDir,
        error: stageError(stage, status, outcome.code, lines, log),
      };
    }
    state.stages[stage.name] = {
      status,
      fingerprint,
      outputs: outputStamps(projectDir, stage),
      run_id: runId,
      environment: 'local',
      finished_at: new Date().toISOString(),
      duration_ms: duration,
      log,
    };
    writeState(statePath, state);
    ctx.progress({
      done: index + 1,
      total: order.length,
      message: `${step}: done in ${(duration / 1000).toFixed(1)} s`,
    });
    const result: StageResult = { name: stage.name, status, reason, duration_ms: duration, log };
    results.push(result);
    await options.observer?.stageEnded(stage, result);
  }
  return { status: 'succeeded', stages: results, logDir };
}

/** From the last traceback on, else the last lines: what explains the failure. */
export function errorLines(tail: readonly string[], max = 20): string[] {
  const traceback = tail.findLastIndex((line) => line.startsWith('Traceback'));
  const from = traceback >= 0 ? traceback : Math.max(0, tail.length - max);
  return tail.slice(from).slice(-max);
}

function stageError(
  stage: StageSpec,
  status: StageStatus,
  code: number | null,
  lines: string[],
  log: string,
): ToolError {
  if (status === 'cancelled') {
    return new ToolError('aborted', `Cancelled: stage ${stage.name} was stopped and its outputs removed`, {
      hint: `Its log: ${log}`,
    });
  }
  // Stage output is the user's code (or its data) talking: fenced, never instructions.
  return new ToolError(
    'invalid_input',
    `Stage ${stage.name} failed (exit code ${code ?? 'signal'}); its outputs were removed and later stages not run. Last lines:\n${fenceUntrusted('stage output', lines.join('\n'))}`,
    { hint: `Full log: ${log}. Fix it and run again: stages that succeeded are skipped` },
  );
}
