/**
 * One shared Python venv in the user's cache for every PyPI-installed piece of the stack (moto,
 * pyiceberg; later MLflow, Airflow, pyspark). A marker file lists the requirement specs already
 * satisfied, so a second call costs one file read instead of a pip run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { Logger, ProgressReporter } from '../core/types.js';
import { withFileLock } from './lock.js';
import { defaultCacheDir, venvBin, venvDir } from './paths.js';
import { CommandFailed, runCommand } from './processes.js';

export interface PythonEnvOptions {
  cacheDir?: string;
  /** A named venv (`<cache>/venv-NAME`) instead of the shared one, for clashing pins. */
  venv?: string;
  /**
   * A pip constraints file (`pip install -c FILE`) pinning the whole dependency tree, for packages
   * whose upstream constraints cannot be fetched here (Airflow). Editing it reinstalls.
   */
  constraints?: string;
  env?: NodeJS.ProcessEnv;
  progress?: ProgressReporter;
  log?: Logger;
  signal?: AbortSignal;
}

export interface PythonEnv {
  /** The venv's interpreter: run scripts with it. */
  python: string;
  venv: string;
  /** Path of a console script in the venv (`moto_server`). */
  bin(name: string): string;
}

const MARKER = 'datastack-requirements.json';

/**
 * Makes sure every spec (`'moto[server]==5.2.5'`, `'pyiceberg[pyarrow]'`) is installed in the
 * shared venv, creating the venv on first use. Idempotent; fast when nothing is missing.
 */
export async function ensurePythonPackages(
  specs: readonly string[],
  options: PythonEnvOptions = {},
): Promise<PythonEnv> {
  const cacheDir = options.cacheDir ?? defaultCacheDir(options.env);
  const env = options.env ?? process.env;
  const signal = options.signal ?? new AbortController().signal;
  const progress = options.progress ?? (() => {});
  const venv = venvDir(cacheDir, options.venv);
  const result: PythonEnv = {
    python: venvBin(cacheDir, 'python', options.venv),
    venv,
    bin: (name) => venvBin(cacheDir, name, options.venv),
  };
  // The constraints' digest counts as one more spec, so a changed pin list is installed again.
  const wanted = options.constraints ? [...specs, constraintsMarker(options.constraints)] : specs;
  if (missing(venv, result.python, wanted).length === 0) return result;

  await withFileLock(
    join(cacheDir, options.venv ? `venv-${options.venv}.lock` : 'venv.lock'),
    'installing Python packages',
    async () => {
      // Another process may have installed them while we waited for the lock.
      const absent = missing(venv, result.python, wanted);
      if (absent.length === 0) return;
      // With a constraints file pip must see every spec at once to resolve them against it.
      const packages = options.constraints ? [...specs] : absent;
      if (!existsSync(result.python)) {
        progress({ done: 0, message: `creating the Python venv in ${result.venv}` });
        await run(findPython(env), ['-m', 'venv', result.venv], env, signal, 'Creating the Python venv');
      }
      progress({ done: 0, message: `pip install ${packages.join(' ')} (first time only; a few minutes)` });
      let lines = 0;
      await run(
        result.python,
        [
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          '--no-input',
          '--progress-bar',
          'off',
          ...(options.constraints ? ['-c', options.constraints] : []),
          ...packages,
        ],
        env,
        signal,
        `pip install ${packages.join(' ')}`,
        (line) => {
          // pip prints one "Collecting"/"Downloading" line per package: a fair measure of progress.
          if (/^(Collecting|Downloading|Installing|Successfully)/.test(line.trim())) {
            lines += 1;
            progress({ done: lines, message: line.trim().slice(0, 100) });
          }
        },
      );
      writeMarker(venv, [...readMarker(venv), ...absent]);
    },
    { signal },
  );
  return result;
}

function constraintsMarker(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ToolError('internal', `The pip constraints file ${file} cannot be read`, { cause: error });
  }
  return `constraints:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

function missing(venv: string, python: string, specs: readonly string[]): string[] {
  if (!existsSync(python)) return [...specs];
  const have = new Set(readMarker(venv));
  return specs.filter((spec) => !have.has(spec));
}

function readMarker(venv: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(join(venv, MARKER), 'utf8')) as unknown;
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function writeMarker(venv: string, specs: string[]): void {
  writeFileSync(join(venv, MARKER), JSON.stringify([...new Set(specs)].sort(), null, 1));
}

function findPython(env: NodeJS.ProcessEnv): string {
  return env.DATASTACK_PYTHON || 'python3';
}

async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  what: string,
  onLine?: (line: string) => void,
): Promise<void> {
  try {
    await runCommand(command, args, { env, signal, ...(onLine ? { onLine } : {}) });
  } catch (error) {
    if (signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError('config', `${what} failed: ${command} was not found`, {
        hint: 'Install Python 3.9+ with venv and pip (Debian: `apt-get install python3-venv`), or set DATASTACK_PYTHON',
        cause: error,
      });
    }
    const output =
      error instanceof CommandFailed ? error.output.split('\n').slice(-8).join('\n') : String(error);
    throw new ToolError('unavailable', `${what} failed:\n${output}`, {
      hint: 'Check that PyPI is reachable (pip config, proxy), then run it again',
      cause: error,
    });
  }
}

/** The installed version of a distribution in the venv, from its dist-info folder name. */
export function installedPythonVersion(
  cacheDir: string,
  distribution: string,
  venv?: string,
): string | undefined {
  const libDir = join(venvDir(cacheDir, venv), 'lib');
  try {
    for (const py of readdirSync(libDir)) {
      const site = join(libDir, py, 'site-packages');
      const prefix = `${distribution.toLowerCase()}-`;
      const hit = readdirSync(site).find(
        (entry) => entry.toLowerCase().startsWith(prefix) && entry.endsWith('.dist-info'),
      );
      if (hit) return hit.slice(prefix.length, -'.dist-info'.length);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
