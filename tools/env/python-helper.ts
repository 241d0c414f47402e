/** Runs tools/env/python/env_helper.py (standard library only) and parses its one JSON answer. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

const execFileAsync = promisify(execFile);

function helperPath(): string {
  const candidates = [
    new URL('./python/env_helper.py', import.meta.url),
    new URL('../../../tools/env/python/env_helper.py', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new ToolError('internal', `env_helper.py is missing (looked in ${candidates.join(', ')})`);
  return found;
}

export async function runHelper<T>(python: string, args: readonly string[], ctx: ToolContext): Promise<T> {
  let stdout: string;
  try {
    // Whole stdout at once: the answer is one long JSON line.
    ({ stdout } = await execFileAsync(python, [helperPath(), ...args], {
      signal: ctx.signal,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    const raw = (error as { stderr?: unknown }).stderr;
    const stderr = (typeof raw === 'string' ? raw : '').trim().split('\n').slice(-6).join('\n');
    throw new ToolError(
      'invalid_input',
      `Reading the project failed (${args[0] ?? ''}): ${stderr || (error as Error).message}`,
      {
        cause: error,
        hint: 'Check that pyproject.toml is valid TOML and the files are UTF-8',
      },
    );
  }
  try {
    return JSON.parse(stdout) as T;
  } catch (error) {
    throw new ToolError('internal', `env_helper.py ${args[0] ?? ''} printed no JSON`, { cause: error });
  }
}

export interface DeclaredDeps {
  source: 'pyproject.toml' | 'requirements.txt' | 'environment.yml' | null;
  dependencies: string[];
  extras: Record<string, string[]>;
  requires_python: string | null;
  python_version_file?: string;
}

export interface ImportScan {
  files_scanned: number;
  local: string[];
  modules: Record<string, { dotted: string[]; files: string[]; optional: boolean }>;
  errors: string[];
}

export interface Installed {
  python: string;
  packages: Record<string, string>;
}
