/** `datastack airflow …` end to end: the built CLI against the real standalone. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { airflowWorld, deployThreeTaskDag, type AirflowWorld } from './fixtures.js';

let world: AirflowWorld;
let dagId: string;

beforeAll(async () => {
  world = await airflowWorld();
  dagId = await deployThreeTaskDag(world, 'cli');
}, 600_000);
afterAll(() => world?.cleanup());

it('triggers a run with --conf, waits for it, shows a failed task log, and keeps the password out of the output', async () => {
  const cwd = world.workspace.root;
  const trigger = await runCli(
    ['airflow', 'trigger', dagId, '--conf', '{"name":"from-cli","fail":true}', '--json'],
    {
      cwd,
    },
  );
  expect(trigger.code, trigger.stderr).toBe(0);
  const run = JSON.parse(trigger.stdout) as { run_id: string; conf: object };
  expect(run.conf).toEqual({ name: 'from-cli', fail: true });

  const wait = await runCli(['airflow', 'wait', dagId, run.run_id, '--poll-s', '1', '--json'], {
    cwd,
    timeoutMs: 300_000,
  });
  expect(wait.code, wait.stderr).toBe(0);
  const waited = JSON.parse(wait.stdout) as { outcome: string; failed_tasks: Array<{ task_id: string }> };
  expect(waited.outcome).toBe('failed');
  expect(waited.failed_tasks.map((t) => t.task_id)).toEqual(['check']);

  const logs = await runCli(['airflow', 'task-logs', dagId, run.run_id, 'hello'], { cwd });
  expect(logs.code, logs.stderr).toBe(0);
  expect(logs.stdout).toContain('hello from-cli');

  const clear = await runCli(['airflow', 'clear-failed', dagId, run.run_id], { cwd });
  expect(clear.code).not.toBe(0);
  expect(clear.stderr).toContain('--yes');

  for (const output of [trigger, wait, logs, clear]) {
    expect(output.stdout + output.stderr).not.toContain(world.airflow.password);
  }
}, 400_000);
