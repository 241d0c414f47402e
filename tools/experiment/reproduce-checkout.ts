/**
 * A clean copy of a run's code and data for `experiment reproduce`: a detached `git worktree` at
 * the recorded commit (the user's working tree and branch are never touched), and the recorded
 * DVC data restored into it from the project's cache, or pulled from its remote, then checked
 * against the md5s the run recorded.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { dataVersions, fileMd5, type DataVersion } from './provenance.js';

type Git = import('simple-git').SimpleGit;

async function git(dir: string): Promise<Git> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: dir });
}

/** Refuses a commit the repository does not hold (a run made in another clone, or before a rewrite). */
export async function assertCommitExists(projectDir: string, commit: string, runId: string): Promise<void> {
  try {
    await (await git(projectDir)).raw(['cat-file', '-e', `${commit}^{commit}`]);
  } catch {
    throw new ToolError('not_found', `Commit ${commit} of run ${runId} is not in the repository at ${projectDir}`, {
      hint: 'Fetch it (`git fetch --all`), or reproduce in the clone the run was made in',
    });
  }
}

/** `git worktree add --detach` into `dir`, replacing a leftover of an earlier reproduction. */
export async function addWorktree(projectDir: string, dir: string, commit: string): Promise<void> {
  await removeWorktree(projectDir, dir);
  mkdirSync(dirname(dir), { recursive: true });
  try {
    await (await git(projectDir)).raw(['worktree', 'add', '--detach', dir, commit]);
  } catch (error) {
    throw new ToolError('unavailable', `git could not check out ${commit} into ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export async function removeWorktree(projectDir: string, dir: string): Promise<void> {
  const repo = await git(projectDir);
  if (existsSync(dir)) {
    try {
      await repo.raw(['worktree', 'remove', '--force', '--force', dir]);
    } catch {
      // Not a registered worktree (or half made): the folder goes, prune forgets the record.
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await repo.raw(['worktree', 'prune']).catch(() => undefined);
}

/**
 * Restores the DVC data of the worktree's commit and verifies it against `recorded` (path → md5
 * from the run's tags). Returns the versions found.
 */
export async function restoreData(
  projectDir: string,
  worktree: string,
  recorded: Record<string, string>,
  runId: string,
  ctx: ToolContext,
): Promise<DataVersion[]> {
  const versions = await dataVersions(worktree);
  if (versions.length === 0 && Object.keys(recorded).length === 0) return [];
  for (const [path, md5] of Object.entries(recorded)) {
    const atCommit = versions.find((v) => v.path === path);
    if (!atCommit || atCommit.md5 !== md5) {
      throw new ToolError(
        'conflict',
        `Run ${runId} recorded ${path} at md5 ${md5}, but its commit's DVC files say ${atCommit ? atCommit.md5 : 'nothing about it'}`,
        { hint: 'The data was changed without committing its .dvc file when the run was made: its data version cannot be restored' },
      );
    }
  }
  const dvc = await dvcBin(ctx);
  const run = (args: string[], cwd: string) => runDvc(dvc, args, cwd, ctx);
  // The worktree has no cache of its own (.dvc/cache is not in git): use the project's.
  const cacheDir = (await run(['cache', 'dir'], projectDir)).trim().split('\n').at(-1)?.trim();
  if (cacheDir) await run(['config', '--local', 'cache.dir', cacheDir], worktree);
  // Named targets: without them DVC's git-ignore check (dulwich) skips .dvc files under a
  // `/data/raw/*` rule, as the templates' .gitignore has, and silently restores nothing.
  const targets = [...new Set(versions.map((v) => (v.source === 'dvc.lock' ? 'dvc.yaml' : v.source)))];
  ctx.progress({ done: 0, message: 'dvc checkout of the recorded data' });
  try {
    await run(['checkout', '--quiet', ...targets], worktree);
  } catch (checkoutError) {
    const remotes = (await run(['remote', 'list'], worktree).catch(() => '')).trim();
    if (!remotes) {
      throw new ToolError('not_found', `The data of run ${runId} is not in the DVC cache, and the project has no DVC remote to pull it from: ${tail(checkoutError)}`, {
        hint: 'Restore the cache, or add a remote that holds the data (`dvc remote add`, `datastack data push` from a clone that has it)',
      });
    }
    ctx.progress({ done: 0, message: 'dvc pull of the recorded data' });
    try {
      await run(['pull', '--quiet', ...targets], worktree);
    } catch (pullError) {
      throw new ToolError('not_found', `The data of run ${runId} is neither in the DVC cache nor on the remote: ${tail(pullError)}`, {
        hint: 'Push it from a clone that has it (`dvc push`), or check the remote (`dvc remote list`, credentials)',
      });
    }
  }
  for (const version of versions) {
    const file = join(worktree, version.path);
    // Directories are verified by DVC against their .dir manifest; files are hashed here too.
    if (!existsSync(file) || !statSync(file).isFile() || version.md5.endsWith('.dir')) continue;
    const actual = fileMd5(file);
    if (actual !== version.md5) {
      throw new ToolError('conflict', `${version.path} restored for run ${runId} has md5 ${actual}, not the recorded ${version.md5}: the cached or remote copy was altered`, {
        hint: 'Restore a good copy of the data into the DVC cache or remote (`dvc pull --force`, or `dvc add` the original file)',
      });
    }
  }
  return versions;
}

async function dvcBin(ctx: ToolContext): Promise<string> {
  const [{ ensurePythonPackages }, { DVC_SPEC }] = await Promise.all([
    import('../stack/python.js'),
    import('../project/git-repo.js'),
  ]);
  const env = await ensurePythonPackages([DVC_SPEC], { progress: ctx.progress, log: ctx.log, signal: ctx.signal });
  return env.bin('dvc');
}

class DvcFailed extends Error {}

async function runDvc(dvc: string, args: string[], cwd: string, ctx: ToolContext): Promise<string> {
  const { runCommand, CommandFailed } = await import('../stack/processes.js');
  const { runtimeFor } = await import('../stack/runtime.js');
  const lines: string[] = [];
  try {
    await runCommand(dvc, args, {
      cwd,
      env: { ...runtimeFor(ctx).env, DVC_NO_ANALYTICS: '1' },
      signal: ctx.signal,
      onLine: (line) => lines.push(line),
    });
    return lines.join('\n');
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    const output = error instanceof CommandFailed ? error.output : (error as Error).message;
    throw new DvcFailed(`dvc ${args[0]}: ${output.split('\n').slice(-6).join(' ').trim()}`);
  }
}

function tail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
