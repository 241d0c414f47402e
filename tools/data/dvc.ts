/**
 * DVC from the shared venv, run in the workspace. Its stdout is kept apart from stderr (the JSON
 * answers of `dvc diff --json` and `dvc data status --json` are on stdout, warnings on stderr), and
 * nothing it prints is logged: `dvc config -l` would show the remote's keys.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { DVC_SPEC } from '../project/git-repo.js';

/**
 * dvc-s3 pulls in s3fs → aiobotocore, which pins botocore to one minor release; boto3 must move
 * with it, or pip leaves the venv's boto3 (needed by moto) on a botocore it does not accept.
 * Checked together with moto[server]==5.2.5 and pyiceberg 0.12 by `pip install --dry-run`.
 */
export const DVC_SPECS = [DVC_SPEC, 'dvc-s3==3.3.0', 'boto3==1.43.117'] as const;

export async function dvcBinary(ctx: ToolContext): Promise<string> {
  const { ensurePythonPackages } = await import('../stack/python.js');
  const env = await ensurePythonPackages(DVC_SPECS, {
    progress: ctx.progress,
    log: ctx.log,
    signal: ctx.signal,
  });
  return env.bin('dvc');
}

export interface DvcResult {
  stdout: string;
  stderr: string;
}

export class DvcFailed extends Error {
  override readonly name = 'DvcFailed';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(`dvc ${args[0] ?? ''} failed: ${lastLines(stderr || stdout, 8)}`);
  }
}

/** Runs `dvc ARGS` in `cwd` (default: the workspace root); a non-zero exit rejects with DvcFailed. */
export async function runDvc(
  ctx: ToolContext,
  args: readonly string[],
  options: { cwd?: string; input?: string; bin?: string } = {},
): Promise<DvcResult> {
  const bin = options.bin ?? (await dvcBinary(ctx));
  ctx.log.debug(`dvc ${args.filter((a) => !a.includes('secret')).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      [...args],
      { cwd: options.cwd ?? ctx.workspace.root, signal: ctx.signal, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (ctx.signal.aborted) reject(new ToolError('aborted', 'Cancelled', { cause: error }));
        else if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new ToolError('config', `DVC was not found at ${bin}`, { cause: error }));
        } else if (error) reject(new DvcFailed(args, stderr, stdout));
        else resolve({ stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-count)
    .join('\n');
}

/** DVC's failure as a ToolError for `what`, with its own last lines (they say what went wrong). */
export function dvcError(error: unknown, what: string, hint?: string): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof DvcFailed) {
    const text = lastLines(error.stderr || error.stdout, 8).replace(/^ERROR: /gm, '');
    return new ToolError('conflict', `${what}: ${text}`, {
      cause: error,
      hint: hint ?? 'Read DVC’s message above; `datastack data status` shows the state of the data',
    });
  }
  return new ToolError('internal', `${what}: ${(error as Error).message}`, { cause: error });
}

/** The folder holding `.dvc/`, at or above the workspace root; undefined when there is none. */
export function findDvcRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.dvc', 'config')) || existsSync(join(dir, '.dvc', '.gitignore'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The DVC project root, or the error that says how to make one. */
export function requireDvcRoot(ctx: ToolContext): string {
  const root = findDvcRoot(ctx.workspace.root);
  if (!root) {
    throw new ToolError('not_found', `${ctx.workspace.root} is not in a DVC project (no .dvc folder)`, {
      hint: 'Put a first file under DVC with `datastack data add FILE` (it runs `dvc init` in the git repository)',
    });
  }
  return root;
}
