/**
 * `env export` and `env docker` on a real environment. Docker itself is not run here (no daemon):
 * the Dockerfile and compose file are checked by parsing them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envDocker } from '../../tools/env/write-docker.js';
import { envExport } from '../../tools/env/export-env.js';
import { envSetup } from '../../tools/env/setup-env.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, INSTALL_TIMEOUT } from '../project/fixtures.js';

interface Compose {
  services: {
    train: {
      build: { context: string };
      volumes: string[];
      environment: Record<string, string>;
      deploy?: {
        resources: { reservations: { devices: Array<{ driver: string; capabilities: string[] }> } };
      };
    };
  };
}

/** Dockerfile instructions as [keyword, rest] pairs, comments and blank lines dropped. */
function instructions(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(' ');
      return [keyword, rest.join(' ')];
    });
}

describe('env export and env docker', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  const read = (path: string) => readFileSync(join(ws.root, 'app', path), 'utf8');

  beforeAll(async () => {
    ws = makeWorkspace({
      'app/pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["pyyaml==6.0.4"]\n',
      'app/datastack.yaml':
        'profile: local\nproject:\n  name: app\n  train: python -m app.train --config configs/experiment.yaml\n',
    });
    ctx = await contextFor(ws.root);
    await call(envSetup, { project: 'app', dev: false }, ctx);
  }, INSTALL_TIMEOUT);
  afterAll(() => ws.cleanup());

  it('locks every installed package with its exact version', async () => {
    const result = await call<{ lock_file: string; packages: number; manager: string }>(
      envExport,
      { project: 'app' },
      ctx,
    );
    expect(result).toMatchObject({ lock_file: 'app/requirements.lock', packages: 1, manager: 'uv' });
    const lines = read('requirements.lock').split('\n');
    expect(lines[0]).toMatch(
      /^# Locked by `datastack env export` on \d{4}-\d\d-\d\d: Python 3\.\d+\.\d+, uv\.$/,
    );
    expect(lines.filter((l) => l && !l.startsWith('#'))).toEqual(['pyyaml==6.0.4']);
  });

  it('writes a CPU image on python slim with the lock installed and the training command', async () => {
    const result = await call<{ base_image: string; command: string[] }>(envDocker, { project: 'app' }, ctx);
    expect(result.base_image).toMatch(/^python:3\.\d+-slim$/);
    const steps = instructions(read('Dockerfile'));
    expect(steps[0]).toEqual(['FROM', result.base_image]);
    expect(steps).toContainEqual(['COPY', 'requirements.lock ./']);
    expect(steps).toContainEqual(['RUN', 'pip install --no-cache-dir -r requirements.lock']);
    expect(JSON.parse(steps.find(([k]) => k === 'CMD')?.[1] ?? '[]')).toEqual([
      'python',
      '-m',
      'app.train',
      '--config',
      'configs/experiment.yaml',
    ]);
    const compose = parse(read('docker-compose.yaml')) as Compose;
    expect(compose.services.train.build.context).toBe('.');
    expect(compose.services.train.volumes).toContain('./data:/app/data');
    expect(compose.services.train.deploy).toBeUndefined();
    expect(read('.dockerignore').split('\n')).toContain('.venv');
  });

  it('refuses to overwrite a different Dockerfile without force, then writes a CUDA image with a GPU reservation', async () => {
    const error = await callError(envDocker, { project: 'app', gpu: true }, ctx);
    expect(error.message).toContain('exists with other content');
    const result = await call<{ base_image: string; gpu: boolean }>(
      envDocker,
      { project: 'app', gpu: true, force: true },
      ctx,
    );
    expect(result).toMatchObject({ gpu: true, base_image: 'nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04' });
    const steps = instructions(read('Dockerfile'));
    expect(steps[0]).toEqual(['FROM', 'nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04']);
    expect(steps.some(([k, rest]) => k === 'RUN' && rest.startsWith('uv venv /opt/venv --python 3.'))).toBe(
      true,
    );
    const compose = parse(read('docker-compose.yaml')) as Compose;
    expect(compose.services.train.deploy?.resources.reservations.devices[0]).toMatchObject({
      driver: 'nvidia',
      capabilities: ['gpu'],
    });
  });

  it('needs a lock or an environment to lock', async () => {
    const bare = makeWorkspace({ 'pyproject.toml': '[project]\nname = "x"\n' });
    try {
      const error = await callError(envDocker, {}, await contextFor(bare.root));
      expect(error.code).toBe('not_found');
      expect(error.hint).toContain('env setup');
      expect((await callError(envExport, {}, await contextFor(bare.root))).code).toBe('not_found');
    } finally {
      bare.cleanup();
    }
  });
});
