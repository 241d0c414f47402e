/**
 * The MLflow tests run against the real tracking server that `datastack stack up mlflow` starts
 * (through ensureServices). The server is shared by test files and runs, so each test makes its
 * own experiment with a random name and asserts only on what it made. Runs are created with our
 * REST client (tools/mlflow/client.ts), the way `experiment run` logs them.
 */
import { randomBytes } from 'node:crypto';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { MlflowClient } from '../../tools/mlflow/client.js';
import { ensureServices } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

export interface MlflowWorld {
  url: string;
  client: MlflowClient;
  /** A project whose profile points at the test server (no experiment named). */
  ws: TempWorkspace;
  /** The profile's YAML, to write more projects on the same server. */
  datastackYaml: string;
  context(options?: {
    root?: string;
    answer?: boolean;
  }): Promise<{ ctx: ToolContext; asked: ConfirmRequest[] }>;
  cleanup(): void;
}

export async function mlflowWorld(): Promise<MlflowWorld> {
  const services = await ensureServices(['mlflow']);
  const ws = makeWorkspace({ 'datastack.yaml': services.datastackYaml });
  return {
    url: services.mlflow.url,
    client: new MlflowClient({ url: services.mlflow.url }),
    ws,
    datastackYaml: services.datastackYaml,
    async context({ root = ws.root, answer = false } = {}) {
      const asked: ConfirmRequest[] = [];
      const ctx = await contextFor(root, {
        confirm: (request) => {
          asked.push(request);
          return Promise.resolve(answer);
        },
      });
      return { ctx, asked };
    },
    cleanup: () => ws.cleanup(),
  };
}

export function unique(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface RunSpec {
  name: string;
  params?: Record<string, string>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
}

/** Finished runs in a new experiment, logged in the given order (so the last is the newest). */
export async function makeRuns(
  client: MlflowClient,
  experimentName: string,
  specs: readonly RunSpec[],
): Promise<{ experimentId: string; runIds: string[] }> {
  const experimentId = await client.ensureExperiment(experimentName);
  const runIds: string[] = [];
  for (const spec of specs) {
    const run = await client.createRun(experimentId, { name: spec.name, tags: spec.tags ?? {} });
    await client.logBatch(run.info.run_id, {
      params: spec.params ?? {},
      metrics: Object.entries(spec.metrics ?? {}).map(([key, value]) => ({
        key,
        value,
        timestamp: Date.now(),
        step: 0,
      })),
    });
    await client.setRunStatus(run.info.run_id, 'FINISHED');
    runIds.push(run.info.run_id);
    // start_time is in ms: keep "newest first" unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { experimentId, runIds };
}

/** Three runs of one model family: lr and depth differ, seed is shared; accuracy and rmse disagree on the best. */
export const THREE_RUNS: RunSpec[] = [
  { name: 'lr-high', params: { lr: '0.1', depth: '4', seed: '42' }, metrics: { accuracy: 0.81, rmse: 0.3 } },
  { name: 'lr-mid', params: { lr: '0.01', depth: '6', seed: '42' }, metrics: { accuracy: 0.88, rmse: 0.35 } },
  {
    name: 'lr-low',
    params: { lr: '0.001', depth: '6', seed: '42' },
    metrics: { accuracy: 0.84, rmse: 0.25 },
  },
];
