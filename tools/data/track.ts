/**
 * The steps data tools share: a DVC project in the workspace's git repository (made on first
 * use), `dvc add` of one path, and staging the pointer files in git.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ToolContext } from '../core/types.js';
import type { Repo } from '../git/repo.js';
import { DvcFailed, dvcError, findDvcRoot, runDvc } from './dvc.js';
import { dvcFileFor, readDvcFile, type DvcOut } from './dvc-file.js';

/** The DVC root, running `dvc init` at the git root when there is none; says whether it did. */
export async function ensureDvcProject(
  ctx: ToolContext,
  repo: Repo,
): Promise<{ root: string; initialised: boolean }> {
  const existing = findDvcRoot(ctx.workspace.root);
  if (existing) return { root: existing, initialised: false };
  try {
    await runDvc(ctx, ['init'], { cwd: repo.root });
    // No anonymous usage reports from a tool the user did not install themselves.
    await runDvc(ctx, ['config', 'core.analytics', 'false'], { cwd: repo.root });
  } catch (error) {
    throw dvcError(error, 'dvc init failed');
  }
  return { root: repo.root, initialised: true };
}

/** Repository-relative posix path. */
export function repoPath(repo: Repo, absolute: string): string {
  return relative(repo.root, absolute).split(sep).join('/');
}

/** `dvc add PATH`, then what its .dvc file now records. */
export async function dvcAdd(
  ctx: ToolContext,
  repo: Repo,
  absolute: string,
): Promise<{ out: DvcOut; dvcFile: string }> {
  // Not --quiet: it hides DVC's error messages too.
  await runDvc(ctx, ['add', absolute]).catch((error: unknown) => {
    const display = ctx.workspace.display(absolute);
    const inGit = error instanceof DvcFailed && /already tracked by SCM/.test(error.stderr);
    throw dvcError(
      error,
      `dvc add ${display} failed`,
      inGit
        ? `Stop tracking it in git first: \`git rm -r --cached ${display}\`, commit, then add it again`
        : undefined,
    );
  });
  const dvcFile = dvcFileFor(absolute);
  const parsed = await readDvcFile(dvcFile, repoPath(repo, dvcFile));
  const out = parsed.outs[0];
  if (!out) throw dvcError(new Error(`${dvcFile} records no output`), 'dvc add');
  return { out, dvcFile };
}

/** Stages the .dvc file and the .gitignore DVC keeps beside the data, plus a new `.dvc/` folder. */
export async function stagePointers(
  repo: Repo,
  dvcFile: string,
  dvcRootInitialised?: string,
): Promise<string[]> {
  const paths = [dvcFile, join(dirname(dvcFile), '.gitignore')];
  if (dvcRootInitialised) {
    paths.push(join(dvcRootInitialised, '.dvc', 'config'), join(dvcRootInitialised, '.dvc', '.gitignore'));
    paths.push(join(dvcRootInitialised, '.dvcignore'));
  }
  const present = paths.filter((p) => existsSync(p));
  await repo.git.raw(['add', '--', ...present]);
  return present.map((p) => repoPath(repo, p));
}

/** Plain md5 of a file's bytes: what DVC 3 records for a file out. */
export function fileMd5(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
