/** Real repositories in temporary workspaces for the git and data tests, checked with git itself. */
import { execFileSync } from 'node:child_process';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

/** git in `dir`, with a fixed identity so tests do not depend on the machine's config. */
export function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@localhost',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@localhost',
    },
  }).trim();
}

/** A workspace that is a git repository with one commit holding its files. */
export function makeRepo(files: Record<string, string> = {}): TempWorkspace {
  const ws = makeWorkspace(files);
  git(ws.root, ['init', '--quiet', '--initial-branch=main']);
  git(ws.root, ['add', '-A']);
  git(ws.root, ['commit', '--quiet', '--no-gpg-sign', '-m', 'first']);
  return ws;
}
