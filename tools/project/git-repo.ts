/**
 * The new project's repository: `git init` and one first commit through simple-git, authored by
 * the user's git identity, or by DataStack when git has none configured. `dvc init` runs with DVC
 * from the shared venv, before the commit, so the commit holds `.dvc/` too.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export const DVC_SPEC = 'dvc==3.67.1';
const FALLBACK_AUTHOR = { name: 'DataStack', email: 'datastack@localhost' };

/** `git init -b main`, before anything (dvc init) needs the repository. */
export async function gitInit(dir: string): Promise<void> {
  const { simpleGit } = await import('simple-git');
  try {
    await simpleGit({ baseDir: dir }).init(['--initial-branch=main']);
  } catch (error) {
    throw gitError(error);
  }
}

/** Stages everything and makes the first commit. */
export async function gitCommitAll(
  dir: string,
  message: string,
): Promise<{ commit: string; author: string }> {
  const { simpleGit } = await import('simple-git');
  try {
    const probe = simpleGit({ baseDir: dir });
    const name = (await probe.getConfig('user.name')).value;
    const email = (await probe.getConfig('user.email')).value;
    const author = name && email ? { name, email } : FALLBACK_AUTHOR;
    const git =
      name && email
        ? probe
        : simpleGit({ baseDir: dir, config: [`user.name=${author.name}`, `user.email=${author.email}`] });
    await git.add('.');
    await git.commit(message, undefined, { '--no-verify': null, '--no-gpg-sign': null });
    const commit = (await git.revparse(['HEAD'])).trim();
    return { commit, author: `${author.name} <${author.email}>` };
  } catch (error) {
    throw gitError(error);
  }
}

function gitError(error: unknown): ToolError {
  return new ToolError('unavailable', `git could not create the repository: ${(error as Error).message}`, {
    cause: error,
    hint: 'Check that git 2.28+ is installed (`git --version`), or pass git: false (--no-git)',
  });
}

export async function initDvc(
  dir: string,
  withGit: boolean,
  track: string | undefined,
  ctx: ToolContext,
): Promise<void> {
  const [{ ensurePythonPackages }, { runLogged }] = await Promise.all([
    import('../stack/python.js'),
    import('../env/installer.js'),
  ]);
  const env = await ensurePythonPackages([DVC_SPEC], {
    progress: ctx.progress,
    log: ctx.log,
    signal: ctx.signal,
  });
  await runLogged(env.bin('dvc'), ['init', '--quiet', ...(withGit ? [] : ['--no-scm'])], ctx, 'dvc init', {
    cwd: dir,
  });
  // No anonymous usage reports from a tool the user did not install themselves.
  await runLogged(env.bin('dvc'), ['config', 'core.analytics', 'false'], ctx, 'dvc config', { cwd: dir });
  // The dataset goes under DVC at once, so the first commit already holds its .dvc pointer.
  if (track) await runLogged(env.bin('dvc'), ['add', '--quiet', track], ctx, 'dvc add', { cwd: dir });
}
