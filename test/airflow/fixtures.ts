/**
 * A real `airflow standalone` for the Airflow tests (started by the same code as `datastack stack
 * up airflow`, on the test port 19080, shared by test files), a workspace whose default profile
 * points at it, and small real DAG files written into its DAG folder.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { AirflowClient } from '../../tools/airflow/client.js';
import { deployDagSource, waitForDagParsed } from '../../tools/airflow/deploy.js';
import type { ToolContext } from '../../tools/core/types.js';
import { ensureServices, type ServiceEndpoints } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export interface AirflowWorld {
  services: ServiceEndpoints;
  workspace: TempWorkspace;
  /** The profile's airflow section (url, username, passwords_file, dags_folder) and the password read from its file. */
  airflow: { url: string; username: string; passwords_file: string; password: string; dags_folder: string };
  client: AirflowClient;
  context(options?: Parameters<typeof contextFor>[1]): Promise<ToolContext>;
  cleanup(): void;
}

export async function airflowWorld(): Promise<AirflowWorld> {
  const services = await ensureServices(['airflow']);
  const workspace = makeWorkspace({ 'datastack.yaml': services.datastackYaml });
  const section = services.config.airflow as Omit<AirflowWorld['airflow'], 'password'>;
  // The profile names the file, never the password itself (datastack.yaml is often committed).
  expect(services.datastackYaml).not.toMatch(/password:/);
  const passwords = JSON.parse(readFileSync(section.passwords_file, 'utf8')) as Record<string, string>;
  const airflow = { ...section, password: passwords[section.username] as string };
  return {
    services,
    workspace,
    airflow,
    client: new AirflowClient({ ...airflow, dagsFolder: airflow.dags_folder }),
    context: (options) => contextFor(workspace.root, options),
    cleanup: () => workspace.cleanup(),
  };
}

/** A DAG id no other test run has used: the test Airflow keeps its DAGs between runs. */
export function uniqueDagId(stem: string): string {
  return `ds_test_${stem}_${randomBytes(3).toString('hex')}`;
}

/**
 * Three tasks: `hello` echoes conf.name, `check` fails when conf.fail is set, `bye` runs after
 * it; `nap` (parallel to check) sleeps conf.sleep seconds, to keep a run going.
 */
export function threeTaskDag(dagId: string): string {
  return `from airflow.sdk import dag, task
from airflow.providers.standard.operators.bash import BashOperator
import pendulum


@dag(dag_id="${dagId}", schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False, tags=["datastack-test"])
def build():
    hello = BashOperator(task_id="hello", bash_command="echo hello {{ dag_run.conf.get('name', 'nobody') }}")
    nap = BashOperator(task_id="nap", bash_command="sleep {{ dag_run.conf.get('sleep', 0) }}")

    @task
    def check(**context):
        if context["dag_run"].conf.get("fail"):
            raise ValueError("asked to fail by conf")
        print("check passed")

    bye = BashOperator(task_id="bye", bash_command="echo bye")
    checked = check()
    hello >> [checked, nap]
    checked >> bye


build()
`;
}

/** Deploys the three-task DAG under a fresh id and waits until Airflow has parsed it. */
export async function deployThreeTaskDag(world: AirflowWorld, stem: string): Promise<string> {
  const dagId = uniqueDagId(stem);
  const deployed = deployDagSource(world.client, `${dagId}.py`, threeTaskDag(dagId));
  await waitForDagParsed(world.client, dagId, {
    since: deployed.deployedAt,
    relativePath: deployed.relativePath,
    timeoutMs: 120_000,
  });
  return dagId;
}
