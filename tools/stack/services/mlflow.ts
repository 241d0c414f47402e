/**
 * `mlflow`: an MLflow 3 tracking server (PyPI `mlflow`) with a SQLite store and proxied artifacts,
 * both in the project (`.datastack/mlflow/`), so runs survive restarts and stay with the project.
 * It lives in its own venv: MLflow pins pyarrow below what the shared venv's pyiceberg installs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { probe } from '../http.js';
import { venvBin } from '../paths.js';
import { ensurePythonPackages, installedPythonVersion } from '../python.js';
import type { ServiceDefinition, StackRuntime } from '../service.js';

/** Pinned so every machine and CI run the same server; bump deliberately (3.18 lacked its tracing wheel). */
export const MLFLOW_SPEC = 'mlflow==3.17.2';
export const MLFLOW_VENV = 'mlflow';

const url = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.mlflow}`;

/** `<workspace>/.datastack/mlflow`: the store and the artifacts, beside the stack's run state. */
export function mlflowDataDir(stateDir: string): string {
  return join(dirname(stateDir), 'mlflow');
}

export const mlflowService: ServiceDefinition = {
  name: 'mlflow',
  description: 'MLflow tracking server and model registry (SQLite store in .datastack/mlflow)',
  ports: { mlflow: 5000 },
  dependencies: [],
  async install(rt) {
    await ensurePythonPackages([MLFLOW_SPEC], {
      cacheDir: rt.cacheDir,
      venv: MLFLOW_VENV,
      env: rt.env,
      progress: rt.progress,
      log: rt.log,
      signal: rt.signal,
    });
  },
  installedVersion(rt) {
    const version = installedPythonVersion(rt.cacheDir, 'mlflow', MLFLOW_VENV);
    return version ? `mlflow ${version}` : undefined;
  },
  launch(rt) {
    const data = mlflowDataDir(rt.stateDir);
    mkdirSync(join(data, 'artifacts'), { recursive: true });
    return Promise.resolve({
      command: venvBin(rt.cacheDir, 'mlflow', MLFLOW_VENV),
      args: [
        'server',
        '--backend-store-uri',
        `sqlite:///${join(data, 'mlflow.db')}`,
        // Clients upload and download artifacts through the server (`mlflow-artifacts:/`), so a
        // training process needs no access to this folder.
        '--artifacts-destination',
        join(data, 'artifacts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(rt.ports.mlflow),
        '--workers',
        '1',
      ],
      env: {
        // No usage telemetry from a server the user did not install themselves.
        MLFLOW_DISABLE_TELEMETRY: 'true',
        DO_NOT_TRACK: 'true',
        // The job runner (GenAI scorers, trace rollups) forks five huey consumers of ~230 MiB
        // each; tracking and the registry do not use it.
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      },
      cwd: data,
    });
  },
  async health(rt, signal) {
    const base = url(rt);
    const answer = await probe(`${base}/health`, signal ? { signal } : {});
    if (!answer.ok) return { ok: false, url: base, detail: answer.error ?? `HTTP ${answer.status}` };
    const version = await probe(`${base}/version`, signal ? { signal } : {});
    return { ok: true, url: base, ...(version.ok && version.body ? { version: version.body.trim() } : {}) };
  },
  // The first start migrates the SQLite schema (alembic): tens of seconds on a slow disk.
  startTimeoutSeconds: 120,
  profile: (rt) => ({ mlflow: { tracking_uri: url(rt) } }),
};
