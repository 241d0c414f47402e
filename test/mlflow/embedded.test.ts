/**
 * The embedded default: a project whose profile names no MLflow gets its own tracking server on
 * the first MLflow call (the same code as `datastack stack up mlflow`), with the store inside the
 * project; a second call reuses it; `stack down` stops it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { mlflowClient } from '../../tools/mlflow/connect.js';
import { mlflowCreateExperiment } from '../../tools/mlflow/create-experiment.js';
import { mlflowListExperiments } from '../../tools/mlflow/list-experiments.js';
import { downServices } from '../../tools/stack/shutdown.js';
import { runtimeFor } from '../../tools/stack/runtime.js';
import { readRecord } from '../../tools/stack/state.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call } from './fixtures.js';

/** Not the test server's 19050, nor the user's 5000. */
const PORT = Number(process.env.DATASTACK_TEST_MLFLOW_EMBEDDED_PORT ?? 19052);

describe('MLflow on the embedded default', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  beforeAll(async () => {
    ws = makeWorkspace({
      'datastack.yaml': stringify({ profiles: { local: { stack: { ports: { mlflow: PORT } } } } }),
    });
    ctx = await contextFor(ws.root);
  });
  afterAll(async () => {
    await ctx?.clients.closeAll();
    if (ws) await downServices(['mlflow'], runtimeFor(ctx));
    ws?.cleanup();
  });

  it('starts the project its own server on first use, with the store in .datastack/mlflow, and reuses it', async () => {
    expect(ctx.config.mlflow?.tracking_uri).toBeUndefined();
    const created = await call<{ experiment_id: string }>(mlflowCreateExperiment, { name: 'embedded' }, ctx);
    const record = readRecord(join(ws.root, '.datastack', 'stack'), 'mlflow');
    expect(record?.ports).toEqual({ mlflow: PORT });
    expect(existsSync(join(ws.root, '.datastack', 'mlflow', 'mlflow.db'))).toBe(true);
    expect((await mlflowClient(ctx)).base).toBe(`http://127.0.0.1:${PORT}`);

    // A new process (a new context) finds the same server and the same store.
    const again = await contextFor(ws.root);
    try {
      const listed = await call<{ experiments: Array<{ experiment_id: string; name: string }> }>(
        mlflowListExperiments,
        {},
        again,
      );
      expect(listed.experiments).toContainEqual(
        expect.objectContaining({ experiment_id: created.experiment_id, name: 'embedded' }),
      );
      expect(readRecord(join(ws.root, '.datastack', 'stack'), 'mlflow')?.pid).toBe(record?.pid);
    } finally {
      await again.clients.closeAll();
    }
  }, 300_000);
});
