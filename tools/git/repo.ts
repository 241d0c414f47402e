/**
 * The workspace's git repository through simple-git: opened once per call, with a clear error when
 * there is none, and an identity for commits and annotated tags even when git has none configured
 * (the same fallback author as `datastack init`, so a fresh CI machine can still version data).
 */
import type { SimpleGit } from 'simple-git';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export const FALLBACK_AUTHOR = { name: 'DataStack', email: 'datastack@localhost' };

export interface Repo {
  git: SimpleGit;
  /** The repository's top folder (may be above the workspace root). */
  root: string;
}

export function notARepository(dir: string): ToolError {
  return new ToolError('not_found', `${dir} is not inside a git repository`, {
    hint: 'Run `git init` there, or start a project with `datastack init NAME` (it creates the repository)',
  });
}

/** The repository holding the workspace root; with `withIdentity`, ready to commit and tag. */
export async function openRepo(ctx: ToolContext, options: { withIdentity?: boolean } = {}): Promise<Repo> {
  const { simpleGit } = await import('simple-git');
  const dir = ctx.workspace.root;
  const probe = simpleGit({ baseDir: dir, abort: ctx.signal });
  let root: string;
  try {
    if (!(await probe.checkIsRepo())) throw notARepository(dir);
    root = (await probe.revparse(['--show-toplevel'])).trim();
  } catch (error) {
    throw gitFailure(error, 'git could not read the repository');
  }
  if (!options.withIdentity) return { git: probe, root };
  const name = (await probe.getConfig('user.name')).value;
  const email = (await probe.getConfig('user.email')).value;
  if (name && email) return { git: probe, root };
  const config = [`user.name=${FALLBACK_AUTHOR.name}`, `user.email=${FALLBACK_AUTHOR.email}`];
  return { git: simpleGit({ baseDir: dir, abort: ctx.signal, config }), root };
}

/** The commit a ref names, or a not_found error that says where to look. */
export async function resolveCommit(git: SimpleGit, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new ToolError('invalid_input', `"${ref}" is not a git reference`);
  // With --quiet git exits 1 and prints nothing on an unknown ref, which simple-git reports as ''.
  const commit = await git.revparse(['--verify', '--quiet', `${ref}^{commit}`]).catch(() => '');
  if (!commit.trim()) {
    throw new ToolError('not_found', `"${ref}" is not a commit, branch or tag of this repository`, {
      hint:
        ref === 'HEAD'
          ? 'The repository has no commit yet: make one with `datastack git commit --all -m "first commit"`'
          : 'See the tags with `datastack git list-tags` and the branches with `datastack git branches`',
    });
  }
  return commit.trim();
}

/** True when `refs/tags/<name>` exists. */
export async function tagExists(git: SimpleGit, name: string): Promise<boolean> {
  const out = await git.raw(['tag', '--list', name]);
  return out.trim() === name;
}

/** Git's own rule for ref names (`git check-ref-format`), so a bad name fails before anything runs. */
export async function assertRefName(git: SimpleGit, kind: 'tag' | 'branch', name: string): Promise<void> {
  const full = kind === 'tag' ? `refs/tags/${name}` : `refs/heads/${name}`;
  // A bad name makes git exit 1 silently (simple-git resolves ''); a good one is printed back as is.
  const normalized = await git.raw(['check-ref-format', '--normalize', full]).catch(() => '');
  if (normalized.trim() !== full || name.startsWith('-')) {
    throw new ToolError('invalid_input', `"${name}" is not a valid git ${kind} name`, {
      hint: 'Use letters, digits, `.`, `-`, `_` and `/`; no spaces, `..`, `~`, `^`, `:` or a trailing `.lock`',
    });
  }
}

/** simple-git errors carry git's stderr as their message: keep it, and keep our own ToolErrors. */
export function gitFailure(error: unknown, what: string): ToolError {
  if (error instanceof ToolError) return error;
  const message = error instanceof Error ? error.message.trim() : String(error);
  if (/not a git repository/i.test(message)) return notARepository(message.split("'")[1] ?? 'This folder');
  return new ToolError('conflict', `${what}: ${message.split('\n').slice(0, 6).join('\n')}`, {
    cause: error,
    hint: 'Read git’s message above; `datastack git status` shows the state of the repository',
  });
}
