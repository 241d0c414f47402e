/**
 * Where the stack keeps things. Installs (venv, jars) are per user and shared by every project, in
 * the cache dir; what runs (pids, logs) is per project, under `<workspace>/.datastack/stack/`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/datastack`, else `~/.cache/datastack`. Like the user config path, this is a
 * fact of the user's machine rather than of a profile, so it reads the environment (defaulted
 * here, once) instead of the config; tests pass their own `env`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'datastack');
}

export function stackStateDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.datastack', 'stack');
}

/**
 * The shared venv (`<cache>/venv`), or a named one (`<cache>/venv-mlflow`) for a component whose
 * pins clash with the shared set (MLflow pins pyarrow below what pyiceberg wants).
 */
export const venvDir = (cacheDir: string, venv?: string): string =>
  join(cacheDir, venv ? `venv-${venv}` : 'venv');
export const jarsDir = (cacheDir: string): string => join(cacheDir, 'jars');

/** A console script or the interpreter of the shared venv, or of a named one. */
export function venvBin(cacheDir: string, name: string, venv?: string): string {
  return process.platform === 'win32'
    ? join(venvDir(cacheDir, venv), 'Scripts', `${name}.exe`)
    : join(venvDir(cacheDir, venv), 'bin', name);
}
