import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflowDeleteAlias } from '../../tools/mlflow/delete-alias.js';
import { mlflowGetAlias } from '../../tools/mlflow/get-alias.js';
import { mlflowListModelVersions } from '../../tools/mlflow/list-model-versions.js';
import { mlflowRegisterModel } from '../../tools/mlflow/register-model.js';
import type { ModelVersionOut } from '../../tools/mlflow/schemas.js';
import { mlflowSetAlias } from '../../tools/mlflow/set-alias.js';
import { call, callError, makeRuns, mlflowWorld, THREE_RUNS, unique, type MlflowWorld } from './fixtures.js';

let world: MlflowWorld;
let runIds: string[];

beforeAll(async () => {
  world = await mlflowWorld();
  ({ runIds } = await makeRuns(world.client, unique('registry'), THREE_RUNS.slice(0, 2)));
  for (const id of runIds) {
    const run = await world.client.getRun(id);
    await world.client.uploadArtifact(run, 'model/model.joblib', new TextEncoder().encode(`model of ${id}`));
  }
}, 300_000);
afterAll(() => world?.cleanup());

/** What the server itself says an alias points at (status and version), not what our tools say. */
async function serverAlias(name: string, alias: string): Promise<{ status: number; version?: string }> {
  const url = `${world.url}/api/2.0/mlflow/registered-models/alias?name=${encodeURIComponent(name)}&alias=${alias}`;
  const response = await fetch(url);
  const body = (await response.json()) as { model_version?: { version: string } };
  return { status: response.status, ...(body.model_version ? { version: body.model_version.version } : {}) };
}

describe('model registry', () => {
  it('registers two runs, sets staging, reads it back, lists versions, deletes the alias', async () => {
    const { ctx, asked } = await world.context({ answer: true });
    const name = unique('model');
    const first = await call<{ model_created: boolean; version: ModelVersionOut }>(
      mlflowRegisterModel,
      { run_id: runIds[0], name },
      ctx,
    );
    expect(first.model_created).toBe(true);
    expect(first.version).toMatchObject({ name, version: '1', run_id: runIds[0], status: 'READY' });
    expect(first.version.source).toMatch(new RegExp(`^mlflow-artifacts:/.*/${runIds[0]}/artifacts/model$`));
    const second = await call<{ model_created: boolean; version: ModelVersionOut }>(
      mlflowRegisterModel,
      { run_id: runIds[1], name, artifact_path: 'model/model.joblib' },
      ctx,
    );
    expect(second.model_created).toBe(false);
    expect(second.version.version).toBe('2');

    await call(mlflowSetAlias, { name, alias: 'staging', model_version: 1 }, ctx);
    const moved = await call<{ previous_version?: string }>(
      mlflowSetAlias,
      { name, alias: 'staging', model_version: '2' },
      ctx,
    );
    expect(moved.previous_version).toBe('1');
    expect(await serverAlias(name, 'staging')).toEqual({ status: 200, version: '2' });

    const got = await call<{ version: ModelVersionOut; uri: string }>(
      mlflowGetAlias,
      { name, alias: 'staging' },
      ctx,
    );
    expect(got.version).toMatchObject({ version: '2', run_id: runIds[1], aliases: ['staging'] });
    expect(got.uri).toBe(`models:/${name}@staging`);

    const listed = await call<{ versions: ModelVersionOut[]; aliases: Record<string, string> }>(
      mlflowListModelVersions,
      { name },
      ctx,
    );
    expect(listed.versions.map((v) => [v.version, v.run_id, v.aliases])).toEqual([
      ['2', runIds[1], ['staging']],
      ['1', runIds[0], undefined],
    ]);
    expect(listed.aliases).toEqual({ staging: '2' });

    const dry = await call<{ deleted: boolean }>(
      mlflowDeleteAlias,
      { name, alias: 'staging', dry_run: true },
      ctx,
    );
    expect(dry.deleted).toBe(false);
    expect(asked).toHaveLength(0);
    const deleted = await call<{ deleted: boolean; version: string }>(
      mlflowDeleteAlias,
      { name, alias: 'staging' },
      ctx,
    );
    expect(deleted).toMatchObject({ deleted: true, version: '2' });
    expect(asked.map((a) => a.summary)).toEqual([
      `Remove alias ${name}@staging (now version 2): models:/${name}@staging will stop resolving`,
    ]);
    expect((await serverAlias(name, 'staging')).status).toBe(400);
    const gone = await callError(mlflowGetAlias, { name, alias: 'staging' }, ctx);
    expect(gone.code).toBe('not_found');
  });

  it('does not delete an alias when the user declines', async () => {
    const { ctx: yes } = await world.context({ answer: true });
    const name = unique('model');
    await call(mlflowRegisterModel, { run_id: runIds[0], name }, yes);
    await call(mlflowSetAlias, { name, alias: 'champion', model_version: 1 }, yes);
    const { ctx: no } = await world.context({ answer: false });
    const refused = await callError(mlflowDeleteAlias, { name, alias: 'champion' }, no);
    expect(refused.code).toBe('refused');
    expect(await serverAlias(name, 'champion')).toEqual({ status: 200, version: '1' });
  });

  it('refuses to register an artifact the run does not have, naming the ones it has', async () => {
    const { ctx } = await world.context();
    const name = unique('model');
    const error = await callError(
      mlflowRegisterModel,
      { run_id: runIds[0], name, artifact_path: 'modle' },
      ctx,
    );
    expect(error.code).toBe('not_found');
    expect(error.hint).toContain('Its top-level artifacts: model/');
    const listed = await callError(mlflowListModelVersions, { name }, ctx);
    expect(listed.code).toBe('not_found');
  });
});
