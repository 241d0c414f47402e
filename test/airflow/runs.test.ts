/** The Airflow tools against a real `airflow standalone`: DAGs, runs, task states and logs. */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airflowClearFailed } from '../../tools/airflow/clear-failed.js';
import { getDag } from '../../tools/airflow/dags.js';
import { airflowListDags } from '../../tools/airflow/list-dags.js';
import { airflowPause } from '../../tools/airflow/pause-dag.js';
import { airflowShowDag } from '../../tools/airflow/show-dag.js';
import { airflowTaskLogs } from '../../tools/airflow/task-logs.js';
import { airflowTaskStates } from '../../tools/airflow/task-states.js';
import { airflowTrigger } from '../../tools/airflow/trigger-dag.js';
import { airflowUnpause } from '../../tools/airflow/unpause-dag.js';
import { airflowWait } from '../../tools/airflow/wait-run.js';
import { outputText } from '../../tools/core/invoke.js';
import type { ProgressUpdate } from '../../tools/core/types.js';
import { call } from '../helpers/call.js';
import { airflowWorld, deployThreeTaskDag, type AirflowWorld } from './fixtures.js';

let world: AirflowWorld;
let dagId: string;

beforeAll(async () => {
  world = await airflowWorld();
  dagId = await deployThreeTaskDag(world, 'runs');
}, 600_000);
afterAll(() => world?.cleanup());

type Run = { dag_id: string; run_id: string; state: string; paused: boolean };
type Task = { task_id: string; state: string | null; try_number: number };
type Waited = {
  outcome: string;
  run: { state: string };
  tasks: Task[];
  failed_tasks?: Array<{ task_id: string; try_number: number; error_lines: string[]; server_log?: string }>;
};

async function triggerAndWait(conf: Record<string, unknown>, progress?: (update: ProgressUpdate) => void) {
  const ctx = await world.context(progress ? { progress } : {});
  const run = await call<Run>(airflowTrigger, { dag_id: dagId, conf }, ctx);
  const waited = await call<Waited>(
    airflowWait,
    { dag_id: dagId, run_id: run.run_id, poll_s: 1, timeout_s: 300 },
    ctx,
  );
  return { run, waited };
}

describe('DAGs', () => {
  it('lists the deployed DAG and shows its tasks in dependency order', async () => {
    const ctx = await world.context();
    const listed = await call<{
      dags: Array<{ dag_id: string; paused: boolean; tags?: string[]; file?: string }>;
    }>(airflowListDags, { pattern: dagId }, ctx);
    expect(listed.dags).toEqual([
      expect.objectContaining({
        dag_id: dagId,
        paused: false,
        tags: ['datastack-test'],
        file: `${dagId}.py`,
      }),
    ]);
    const shown = await call<{
      tasks: Array<{ task_id: string; upstream: string[]; downstream: string[]; operator?: string }>;
    }>(airflowShowDag, { dag_id: dagId }, ctx);
    expect(shown.tasks.map((t) => t.task_id)).toEqual(['hello', 'check', 'bye', 'nap']);
    expect(shown.tasks[0]).toMatchObject({
      task_id: 'hello',
      upstream: [],
      downstream: ['check', 'nap'],
      operator: 'BashOperator',
    });
    expect(shown.tasks[2]).toMatchObject({ task_id: 'bye', upstream: ['check'], downstream: [] });
  });

  it('pauses and unpauses, as the server then reports', async () => {
    const ctx = await world.context();
    expect(await call(airflowPause, { dag_id: dagId }, ctx)).toEqual({ dag_id: dagId, paused: true });
    expect((await getDag(world.client, dagId)).is_paused).toBe(true);
    const paused = await call<{ dags: Array<{ dag_id: string }> }>(
      airflowListDags,
      { pattern: dagId, paused: true },
      ctx,
    );
    expect(paused.dags.map((d) => d.dag_id)).toEqual([dagId]);
    expect(await call(airflowUnpause, { dag_id: dagId }, ctx)).toEqual({ dag_id: dagId, paused: false });
    expect((await getDag(world.client, dagId)).is_paused).toBe(false);
  });
});

describe('runs', () => {
  it('triggers with conf, reports task state changes while waiting, and serves the task log', async () => {
    const updates: ProgressUpdate[] = [];
    const { run, waited } = await triggerAndWait({ name: 'datastack-conf' }, (u) => updates.push(u));
    expect(run).toMatchObject({ dag_id: dagId, paused: false });
    expect(waited.outcome).toBe('success');
    expect(Object.fromEntries(waited.tasks.map((t) => [t.task_id, t.state]))).toEqual({
      hello: 'success',
      check: 'success',
      nap: 'success',
      bye: 'success',
    });
    const messages = updates.map((u) => u.message ?? '').join('\n');
    expect(messages).toMatch(/hello .*→ success/);
    expect(messages).toMatch(/bye .*→ success/);
    expect(updates.at(-1)).toMatchObject({ done: 4, total: 4 });

    const ctx = await world.context();
    const states = await call<{ run: { state: string; conf?: object }; tasks: Task[] }>(
      airflowTaskStates,
      { dag_id: dagId, run_id: run.run_id },
      ctx,
    );
    expect(states.run).toMatchObject({ state: 'success', conf: { name: 'datastack-conf' } });
    const log = await call<{ lines: string[]; try_number: number }>(
      airflowTaskLogs,
      { dag_id: dagId, run_id: run.run_id, task_id: 'hello' },
      ctx,
    );
    expect(log.try_number).toBe(1);
    expect(log.lines.join('\n')).toContain('hello datastack-conf');
    const text = outputText(airflowTaskLogs, log);
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>[\s\S]*hello datastack-conf[\s\S]*<\/untrusted-data-/);
  });

  it('reports a failed run with its failed task and error lines, and clears it to run again', async () => {
    const { run, waited } = await triggerAndWait({ fail: true });
    expect(waited.outcome).toBe('failed');
    expect(waited.tasks.find((t) => t.task_id === 'check')?.state).toBe('failed');
    expect(waited.tasks.find((t) => t.task_id === 'bye')?.state).toBe('upstream_failed');
    expect(waited.failed_tasks?.map((t) => [t.task_id, t.try_number])).toEqual([['check', 1]]);
    expect(waited.failed_tasks?.[0]?.server_log).toContain('task_id=check');
    expect(waited.failed_tasks?.[0]?.error_lines.join('\n')).toContain('ValueError: asked to fail by conf');

    const ctx = await world.context();
    const full = await call<{ file: string; lines: string[]; truncated: boolean }>(
      airflowTaskLogs,
      { dag_id: dagId, run_id: run.run_id, task_id: 'check', max_lines: 2, to_file: true },
      ctx,
    );
    expect(full.lines).toHaveLength(2);
    expect(full.truncated).toBe(true);
    expect(existsSync(full.file)).toBe(true);
    expect(readFileSync(full.file, 'utf8')).toContain('asked to fail by conf');

    const dry = await call<{ cleared: Array<{ task_id: string; run_id: string }> }>(
      airflowClearFailed,
      { dag_id: dagId, run_id: run.run_id, dry_run: true },
      ctx,
    );
    expect(dry.cleared.map((t) => t.task_id).sort()).toEqual(['bye', 'check']);
    const approved = await world.context({ confirm: () => Promise.resolve(true) });
    const cleared = await call<{ dry_run: boolean; cleared: unknown[] }>(
      airflowClearFailed,
      { dag_id: dagId, run_id: run.run_id },
      approved,
    );
    expect(cleared).toMatchObject({ dry_run: false });
    expect(cleared.cleared).toHaveLength(2);
    // Cleared, the run goes again; conf still says fail, so `check` fails on its second try.
    const again = await call<Waited>(
      airflowWait,
      { dag_id: dagId, run_id: run.run_id, poll_s: 1, timeout_s: 300 },
      ctx,
    );
    expect(again.outcome).toBe('failed');
    expect(again.tasks.find((t) => t.task_id === 'check')).toMatchObject({ state: 'failed', try_number: 2 });
  });

  it('stops following on abort (Ctrl-C) and leaves the run going', async () => {
    const controller = new AbortController();
    const ctx = await world.context({ signal: controller.signal });
    const run = await call<Run>(
      airflowTrigger,
      { dag_id: dagId, conf: { sleep: 30 } },
      await world.context(),
    );
    const waited = await call<Waited>(
      airflowWait,
      { dag_id: dagId, run_id: run.run_id, poll_s: 1 },
      await world.context({
        signal: controller.signal,
        // Abort once the sleeping task is seen running.
        progress: (u) => {
          if (/nap .*→ running/.test(u.message ?? '')) controller.abort();
        },
      }),
    );
    expect(ctx.signal.aborted).toBe(true);
    expect(waited.outcome).toBe('stopped_following');
    expect(outputText(airflowWait, waited)).toContain('the run goes on in Airflow');
    const states = await call<{ run: { state: string } }>(
      airflowTaskStates,
      { dag_id: dagId, run_id: run.run_id },
      await world.context(),
    );
    expect(states.run.state).toBe('running');
  });
});
