/**
 * Putting a DAG file where Airflow reads it and waiting until the DAG processor has parsed that
 * version: the first half of `pipeline run --environment airflow` (then triggerRun, waitForRun).
 */
import { copyFileSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../core/errors.js';
import type { AirflowClient } from './client.js';
import { dagPath, errorTail, listImportErrors } from './dags.js';
import type { ApiDag } from './model.js';

export interface DeployedDag {
  /** Absolute path of the file in the DAG folder. */
  path: string;
  /** Its path inside the DAG folder, as Airflow names it in import errors. */
  relativePath: string;
  /** The file's modification time: a parse at or after it has read this version. */
  deployedAt: Date;
}

/** Copies a DAG file into the DAG folder (as `name`, default its own name), atomically. */
export function deployDag(client: AirflowClient, file: string, name = basename(file)): DeployedDag {
  return place(client, name, (tmp) => copyFileSync(file, tmp));
}

/** Writes DAG source (a rendered pipeline) into the DAG folder as `name`, atomically. */
export function deployDagSource(client: AirflowClient, name: string, source: string): DeployedDag {
  return place(client, name, (tmp) => writeFileSync(tmp, source));
}

function place(client: AirflowClient, name: string, write: (tmp: string) => void): DeployedDag {
  const folder = client.dagsFolder;
  if (!folder) {
    throw new ToolError('config', 'No DAG folder is configured for this Airflow', {
      hint: 'Set airflow.dags_folder to the folder its DAG processor reads (`datastack stack up airflow` sets it for the local one)',
    });
  }
  const target = join(folder, name);
  const inside = relative(folder, target);
  if (!name.endsWith('.py') || inside.startsWith('..') || inside === '') {
    throw new ToolError('invalid_input', `"${name}" is not a .py file name inside the DAG folder`);
  }
  mkdirSync(dirname(target), { recursive: true });
  // Written beside it and renamed, so the DAG processor never parses half a file; the temporary
  // name does not end in .py, so it is never listed.
  const tmp = `${target}.${process.pid}.tmp`;
  write(tmp);
  renameSync(tmp, target);
  return { path: target, relativePath: inside.split(sep).join('/'), deployedAt: statSync(target).mtime };
}

export interface WaitForParseOptions {
  /** Only a parse at or after this time counts (a redeployed file's older version does not). */
  since?: Date | undefined;
  /** The DAG file's path in the DAG folder, to find its import error. */
  relativePath?: string | undefined;
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal | undefined;
  onWaiting?: (elapsedMs: number) => void;
}

/**
 * Resolves with the DAG once Airflow has parsed it (since `since`); throws a ToolError carrying
 * Airflow's import error when the file does not parse, or a timeout naming the likely causes.
 */
export async function waitForDagParsed(
  client: AirflowClient,
  dagId: string,
  options: WaitForParseOptions = {},
): Promise<ApiDag> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const started = Date.now();
  for (;;) {
    const dag = await findDag(client, dagId, options.signal);
    const parsedAt = dag?.last_parsed_time ? Date.parse(dag.last_parsed_time) : undefined;
    if (dag && (!options.since || (parsedAt !== undefined && parsedAt >= options.since.getTime())))
      return dag;
    if (options.relativePath) {
      const errors = await listImportErrors(client, options.signal);
      const mine = errors.find(
        (error) =>
          error.filename === options.relativePath &&
          (!options.since || Date.parse(error.timestamp) >= options.since.getTime()),
      );
      if (mine) {
        throw new ToolError(
          'invalid_input',
          `${mine.filename} does not parse in Airflow:\n${errorTail(mine.stack_trace)}`,
          {
            hint: 'Fix the DAG file and deploy it again; `datastack airflow import-errors` shows the whole traceback',
          },
        );
      }
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      throw new ToolError(
        'timeout',
        `DAG ${dagId} was not ${dag ? 're-parsed' : 'found'} within ${Math.round(timeoutMs / 1000)} s`,
        {
          hint: 'Check the dag_id in the file; Airflow skips files without the words "airflow" and "dag" (safe mode) and reads only its dags_folder. `datastack stack logs airflow` shows the DAG processor',
        },
      );
    }
    options.onWaiting?.(elapsed);
    await pause(options.pollMs ?? 1_000, options.signal);
  }
}

async function findDag(
  client: AirflowClient,
  dagId: string,
  signal?: AbortSignal,
): Promise<ApiDag | undefined> {
  try {
    return await client.get<ApiDag>(dagPath(dagId), { signal });
  } catch (error) {
    if (error instanceof ToolError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/** Sleeps, ending early with an `aborted` ToolError when the signal fires. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw new ToolError('aborted', 'Cancelled', { cause: error });
  }
}
