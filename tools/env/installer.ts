/**
 * Building Python environments: finding an interpreter, choosing the manager (uv when it can be
 * had, else venv + pip; conda when asked and present), creating the environment and installing
 * packages with pip's or uv's output turned into progress.
 */
import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { CommandFailed, runCommand } from '../stack/processes.js';

const execFileAsync = promisify(execFile);

export type Manager = 'uv' | 'venv' | 'conda';
export const UV_SPEC = 'uv==0.13.9';

export interface Installer {
  manager: Manager;
  /** uv or conda binary, for those managers. */
  bin?: string;
}

/** Children get the user's environment (PATH, proxies, pip and uv settings), as a shell would. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', ...extra };
}

export function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

/** Runs a command, logging its lines at debug; failures become ToolErrors with the output's tail. */
export async function runLogged(
  command: string,
  args: readonly string[],
  ctx: ToolContext,
  what: string,
  options: { onLine?: (line: string) => void; keepAll?: boolean; cwd?: string } = {},
): Promise<{ output: string }> {
  const lines: string[] = [];
  try {
    const result = await runCommand(command, args, {
      env: childEnv(),
      signal: ctx.signal,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      onLine: (line) => {
        if (options.keepAll) lines.push(line);
        ctx.log.debug(`${what}: ${line}`);
        options.onLine?.(line);
      },
    });
    return { output: options.keepAll ? lines.join('\n') : result.output };
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError('config', `${what} failed: ${command} was not found`, { cause: error });
    }
    const tail =
      error instanceof CommandFailed ? error.output.split('\n').slice(-12).join('\n') : String(error);
    throw new ToolError('unavailable', `${what} failed:\n${tail}`, {
      cause: error,
      hint: 'Read the lines above: a package name or version that does not exist, or PyPI out of reach (proxy, pip config)',
    });
  }
}

/** The first `python3.X`, `python3` or `python` on PATH whose version is `version` (3.11 or 3.11.7). */
export async function findPython(
  version: string,
  ctx: ToolContext,
): Promise<{ path: string; version: string }> {
  const major = version.split('.').slice(0, 2).join('.');
  const seen: string[] = [];
  for (const name of [`python${major}`, 'python3', 'python']) {
    const path = onPath(name);
    if (!path) continue;
    try {
      const { stdout } = await execFileAsync(
        path,
        ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'],
        {
          signal: ctx.signal,
        },
      );
      const found = stdout.trim();
      seen.push(`${name} ${found}`);
      if (found === version || found.startsWith(`${version}.`)) return { path, version: found };
    } catch {
      // Not runnable: try the next name.
    }
  }
  throw new ToolError(
    'config',
    `Python ${version} was not found on PATH${seen.length ? ` (found ${seen.join(', ')})` : ''}`,
    {
      hint: `Install it (pyenv install ${major}, or your system's python${major} package), or pass --python with a version you have`,
    },
  );
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** uv from the shared venv (installed there the first time), venv, or a conda found on PATH. */
export async function resolveInstaller(requested: 'auto' | Manager, ctx: ToolContext): Promise<Installer> {
  if (requested === 'venv') return { manager: 'venv' };
  if (requested === 'conda') {
    const bin = ['conda', 'mamba', 'micromamba'].map(onPath).find(Boolean);
    if (!bin) {
      throw new ToolError('config', 'conda was not found on PATH (nor mamba, nor micromamba)', {
        hint: 'Install Miniforge (conda-forge) and open a new shell, or use --manager uv or --manager venv',
      });
    }
    return { manager: 'conda', bin };
  }
  try {
    const { ensurePythonPackages } = await import('../stack/python.js');
    const env = await ensurePythonPackages([UV_SPEC], {
      progress: ctx.progress,
      log: ctx.log,
      signal: ctx.signal,
    });
    return { manager: 'uv', bin: env.bin('uv') };
  } catch (error) {
    if (requested === 'uv' || ctx.signal.aborted) throw error;
    ctx.log.warn(`uv could not be installed (${(error as Error).message.split('\n')[0]}); using venv + pip`);
    return { manager: 'venv' };
  }
}

/** Creates an environment at `dir` with the given interpreter. */
export async function createEnvironment(
  installer: Installer,
  python: { path: string; version: string },
  dir: string,
  prompt: string,
  ctx: ToolContext,
): Promise<void> {
  ctx.progress({ done: 0, message: `creating ${installer.manager} environment (Python ${python.version})` });
  if (installer.manager === 'uv' && installer.bin) {
    await runLogged(
      installer.bin,
      ['venv', '--quiet', '--relocatable', '--prompt', prompt, '--python', python.path, dir],
      ctx,
      'uv venv',
    );
  } else if (installer.manager === 'conda' && installer.bin) {
    await runLogged(
      installer.bin,
      ['create', '--yes', '--quiet', '--prefix', dir, `python=${python.version}`, 'pip'],
      ctx,
      'conda create',
    );
  } else {
    // The prompt would otherwise be the temporary folder's name.
    await runLogged(python.path, ['-m', 'venv', '--prompt', prompt, dir], ctx, 'python -m venv');
  }
}

/** Installs requirement specs into the environment at `dir`, reporting one step per package. */
export async function installPackages(
  installer: Installer,
  dir: string,
  specs: readonly string[],
  ctx: ToolContext,
): Promise<number> {
  if (specs.length === 0) return 0;
  let total = specs.length;
  let done = 0;
  let installed = 0;
  const report = (message: string) =>
    ctx.progress({ done: Math.min(done, total), total, message: message.slice(0, 100) });
  const onLine = (raw: string) => {
    const line = raw.trim();
    const resolved = /^Resolved (\d+) packages?/.exec(line);
    if (resolved) {
      total = Number(resolved[1]);
      report(line);
    } else if (line.startsWith('+ ')) {
      done += 1;
      installed += 1;
      report(`installed ${line.slice(2)}`);
    } else if (/^(Prepared|Installed|Audited) \d+ packages?/.test(line)) {
      report(line);
    } else if (/^Collecting /.test(line)) {
      done += 1;
      total = Math.max(total, done);
      report(line);
    } else if (/^Successfully installed /.test(line)) {
      installed = line.split(/\s+/).length - 2;
      done = total;
      report(`installed ${installed} packages`);
    }
  };
  const python = venvPython(dir);
  if (installer.manager === 'uv' && installer.bin) {
    await runLogged(installer.bin, ['pip', 'install', '--python', python, ...specs], ctx, 'uv pip install', {
      onLine,
    });
  } else {
    await runLogged(python, ['-m', 'pip', 'install', '--progress-bar', 'off', ...specs], ctx, 'pip install', {
      onLine,
    });
  }
  return installed;
}

/**
 * An environment built under a temporary name keeps that path in its scripts' shebangs and
 * activate files; point them at the final folder before the rename. (uv's --relocatable scripts
 * need none of this; stdlib venv and conda scripts do.)
 */
export function retargetEnvironment(tempDir: string, finalDir: string): void {
  for (const sub of ['bin', 'Scripts']) {
    let entries: string[];
    try {
      entries = readdirSync(join(tempDir, sub));
    } catch {
      continue;
    }
    for (const entry of entries) rewrite(join(tempDir, sub, entry), tempDir, finalDir);
  }
  rewrite(join(tempDir, 'pyvenv.cfg'), tempDir, finalDir);
}

function rewrite(path: string, from: string, to: string): void {
  try {
    const stats = lstatSync(path);
    // Symlinked interpreters and big binaries are left alone; scripts are small text files.
    if (!stats.isFile() || stats.size > 1_000_000) return;
    const buffer = readFileSync(path);
    if (buffer.subarray(0, 8000).includes(0)) return;
    const text = buffer.toString('utf8');
    if (text.includes(from)) writeFileSync(path, text.split(from).join(to));
  } catch {
    // Unreadable: nothing to retarget.
  }
}
