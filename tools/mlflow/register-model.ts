import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import type { MlflowClient } from './client.js';
import { mlflowClient } from './connect.js';
import { toVersionOut, versionLine } from './model-versions.js';
import { createModelVersion, ensureRegisteredModel } from './registry.js';
import { ModelName, ModelVersionOut, RunId } from './schemas.js';

const Input = z.object({
  run_id: RunId.describe('Run whose logged model to register'),
  name: ModelName.describe('Registered model name; created when it does not exist'),
  artifact_path: z
    .string()
    .min(1)
    .default('model')
    .describe(
      "Path of the model inside the run's artifacts (a folder or a file), e.g. model or models/model.joblib",
    ),
  description: z.string().optional().describe('Description of this version'),
});

const Output = z.object({
  model_created: z.boolean().describe('True when the registered model was created by this call'),
  version: ModelVersionOut.describe('The new version'),
});

export const mlflowRegisterModel = defineTool({
  name: 'mlflow_register_model',
  title: 'Register MLflow model',
  description:
    "Register a run's model artifact as a new version of a registered model (created if missing). Checks the artifact exists first.",
  toolset: 'mlflow',
  aliases: ['register'],
  positional: ['run_id', 'name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const run = await client.getRun(input.run_id, ctx.signal);
    const path = input.artifact_path.replace(/^\/+|\/+$/g, '');
    await assertArtifactExists(client, input.run_id, path, ctx.signal);
    const root = (run.info.artifact_uri ?? '').replace(/\/+$/, '');
    const { created } = await ensureRegisteredModel(client, input.name, ctx.signal);
    const version = await createModelVersion(
      client,
      { name: input.name, source: `${root}/${path}`, runId: input.run_id, description: input.description },
      ctx.signal,
    );
    return { model_created: created, version: toVersionOut(version) };
  },
  toText: (output) =>
    `Registered ${output.version.name} version ${output.version.version}${output.model_created ? ' (new model)' : ''}: ${versionLine(output.version)}`,
});

/** MLflow registers any source without looking: a typo would make a version with no model behind it. */
async function assertArtifactExists(
  client: MlflowClient,
  runId: string,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  const slash = path.lastIndexOf('/');
  const parent = slash > 0 ? path.slice(0, slash) : undefined;
  const siblings = await client.request<{ files?: Array<{ path: string }> }>('GET', 'artifacts/list', {
    query: { run_id: runId, path: parent },
    signal,
  });
  if ((siblings.files ?? []).some((f) => f.path === path)) return;
  const top = await client.request<{ files?: Array<{ path: string; is_dir?: boolean }> }>(
    'GET',
    'artifacts/list',
    {
      query: { run_id: runId },
      signal,
    },
  );
  const names = (top.files ?? []).map((f) => `${f.path}${f.is_dir ? '/' : ''}`);
  throw new ToolError('not_found', `Run ${runId} has no artifact "${path}"`, {
    hint: names.length
      ? `Its top-level artifacts: ${names.slice(0, 20).join(', ')}. Pass --artifact-path`
      : 'The run has no artifacts: log the model first (mlflow.log_artifact or experiment run)',
  });
}
