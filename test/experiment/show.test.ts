/** `experiment show` against the real MLflow server: provenance tags grouped and labelled. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { provenanceOf } from '../../tools/experiment/provenance-view.js';
import { experimentShow } from '../../tools/experiment/show-tool.js';
import { call, callError, makeRuns, mlflowWorld, unique, type MlflowWorld } from '../mlflow/fixtures.js';

const PROVENANCE = {
  'mlflow.source.git.commit': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  'datastack.git.dirty': 'false',
  'datastack.git.branch': 'feature/x',
  'datastack.data.data/raw/sales.csv': 'd41d8cd98f00b204e9800998ecf8427e',
  'datastack.data.data/features': '0cc175b9c0f1b6a831c399e269772661.dir',
  'datastack.nessie.ref': 'main',
  'datastack.nessie.hash': 'deadbeefcafe',
  'datastack.env.lock': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'datastack.version': '0.1.0',
  'datastack.config': 'configs/experiment.yaml',
  'datastack.command': 'python -m churn.train',
  team: 'ml',
};

describe('provenanceOf', () => {
  it('groups the tags and names the groups a run lacks', () => {
    const { provenance, other } = provenanceOf({
      'datastack.git.dirty': 'true',
      'mlflow.user': 'me',
      x: '1',
    });
    expect(provenance).toEqual({
      code: { dirty: 'true' },
      data: [],
      missing: ['data', 'lake', 'environment', 'invocation'],
    });
    expect(other).toEqual({ x: '1' });
  });
});

let world: MlflowWorld;
let runId: string;

beforeAll(async () => {
  world = await mlflowWorld();
  const made = await makeRuns(world.client, unique('show'), [
    { name: 'trained', params: { lr: '0.1' }, metrics: { accuracy: 0.9 }, tags: PROVENANCE },
  ]);
  runId = made.runIds[0] ?? '';
  const run = await world.client.getRun(runId);
  await world.client.uploadArtifact(run, 'metrics.json', new TextEncoder().encode('{"accuracy": 0.9}'));
}, 300_000);
afterAll(() => world?.cleanup());

describe('experiment_show', () => {
  it('lists params, metrics, artifacts and the provenance, grouped', async () => {
    const { ctx } = await world.context();
    const out = await call<Record<string, unknown>>(experimentShow, { run_id: runId }, ctx);
    expect(out).toMatchObject({ run_name: 'trained', params: { lr: '0.1' }, metrics: { accuracy: 0.9 } });
    expect(out.provenance).toEqual({
      code: { commit: PROVENANCE['mlflow.source.git.commit'], branch: 'feature/x', dirty: 'false' },
      data: [
        { path: 'data/features', md5: '0cc175b9c0f1b6a831c399e269772661.dir' },
        { path: 'data/raw/sales.csv', md5: 'd41d8cd98f00b204e9800998ecf8427e' },
      ],
      lake: { ref: 'main', hash: 'deadbeefcafe' },
      environment: { lock_sha256: PROVENANCE['datastack.env.lock'], datastack_version: '0.1.0' },
      invocation: { config: 'configs/experiment.yaml', command: 'python -m churn.train' },
      missing: [],
    });
    expect(out.tags).toEqual({ team: 'ml' });
    expect(out.artifacts).toEqual([{ path: 'metrics.json', size: 17 }]);
    const text = outputText(experimentShow, out);
    expect(text).toContain('data/raw/sales.csv: md5 d41d8cd98f00b204e9800998ecf8427e');
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>/);
  });

  it('says an unknown run id is not found', async () => {
    const { ctx } = await world.context();
    const error = await callError(experimentShow, { run_id: 'a'.repeat(32) }, ctx);
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('a'.repeat(32));
  });
});
