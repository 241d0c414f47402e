/** The git tools on real repositories; every check reads the repository back with git itself. */
import { afterEach, describe, expect, it } from 'vitest';
import { gitBranches } from '../../tools/git/list-branches.js';
import { gitCommit } from '../../tools/git/commit-changes.js';
import { gitDiffSummary } from '../../tools/git/diff-summary.js';
import { gitListTags } from '../../tools/git/list-tags.js';
import { gitStatus } from '../../tools/git/show-status.js';
import { gitSwitchBranch } from '../../tools/git/switch-branch.js';
import { gitTag } from '../../tools/git/create-tag.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, git, makeRepo } from './fixtures.js';

const spaces: TempWorkspace[] = [];
afterEach(() => {
  for (const ws of spaces.splice(0)) ws.cleanup();
});
function repo(files: Record<string, string> = { 'a.txt': 'one\ntwo\n' }): TempWorkspace {
  const ws = makeRepo(files);
  spaces.push(ws);
  return ws;
}

describe('git_status', () => {
  it('reports a clean repository, then staged, modified and untracked files', async () => {
    const ws = repo({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    const ctx = await contextFor(ws.root);
    const clean = await call<{ clean: boolean; branch: string; head: string }>(gitStatus, {}, ctx);
    expect(clean).toMatchObject({ clean: true, branch: 'main', ahead: 0, behind: 0 });
    expect(clean.head).toBe(git(ws.root, ['rev-parse', 'HEAD']));

    ws.write('a.txt', 'changed\n');
    ws.write('b.txt', 'staged\n');
    git(ws.root, ['add', 'b.txt']);
    ws.write('new.txt', 'x\n');
    const dirty = await call(gitStatus, {}, ctx);
    expect(dirty).toMatchObject({
      clean: false,
      staged: ['b.txt'],
      modified: ['a.txt'],
      untracked: ['new.txt'],
    });
  });

  it('says how to get a repository when there is none', async () => {
    const ws = makeWorkspace();
    spaces.push(ws);
    const error = await callError(gitStatus, {}, await contextFor(ws.root));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('not inside a git repository');
    expect(error.hint).toContain('git init');
    expect(error.hint).toContain('datastack init');
  });
});

describe('git_commit', () => {
  it('commits only the given paths, and everything with all', async () => {
    const ws = repo();
    const ctx = await contextFor(ws.root);
    ws.write('data/x.csv.dvc', 'outs: []\n');
    ws.write('notes.md', 'later\n');
    const first = await call<{ commit: string; files: string[] }>(
      gitCommit,
      { message: 'track x', paths: ['data/x.csv.dvc'] },
      ctx,
    );
    expect(first.files).toEqual(['data/x.csv.dvc']);
    expect(git(ws.root, ['rev-parse', 'HEAD'])).toBe(first.commit);
    expect(git(ws.root, ['show', '--name-only', '--format=%s', 'HEAD'])).toBe('track x\n\ndata/x.csv.dvc');
    expect(git(ws.root, ['status', '--porcelain'])).toBe('?? notes.md');

    const all = await call<{ files: string[]; insertions: number }>(
      gitCommit,
      { message: 'rest', all: true },
      ctx,
    );
    expect(all).toMatchObject({ files: ['notes.md'], insertions: 1 });
    expect(git(ws.root, ['status', '--porcelain'])).toBe('');
  });

  it('refuses an empty commit', async () => {
    const ws = repo();
    const before = git(ws.root, ['rev-parse', 'HEAD']);
    const error = await callError(gitCommit, { message: 'nothing', all: true }, await contextFor(ws.root));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Nothing to commit');
    expect(git(ws.root, ['rev-parse', 'HEAD'])).toBe(before);
  });
});

describe('git_tag and git_list_tags', () => {
  it('creates an annotated tag, lists it, and refuses the same name again', async () => {
    const ws = repo();
    const ctx = await contextFor(ws.root);
    const head = git(ws.root, ['rev-parse', 'HEAD']);
    const made = await call(gitTag, { name: 'v1.0-raw', message: 'raw data' }, ctx);
    expect(made).toEqual({ tag: 'v1.0-raw', commit: head, message: 'raw data' });
    expect(git(ws.root, ['tag', '--list'])).toBe('v1.0-raw');
    expect(git(ws.root, ['cat-file', '-t', 'v1.0-raw'])).toBe('tag');
    expect(git(ws.root, ['rev-parse', 'v1.0-raw^{commit}'])).toBe(head);

    const listed = await call<{ tags: Array<Record<string, unknown>> }>(gitListTags, {}, ctx);
    expect(listed.tags).toEqual([
      expect.objectContaining({ name: 'v1.0-raw', commit: head, message: 'raw data', annotated: true }),
    ]);

    const again = await callError(gitTag, { name: 'v1.0-raw' }, ctx);
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('already exists');
  });

  it('refuses a bad name and an unknown ref', async () => {
    const ws = repo();
    const ctx = await contextFor(ws.root);
    expect((await callError(gitTag, { name: 'bad name' }, ctx)).code).toBe('invalid_input');
    const unknown = await callError(gitTag, { name: 'ok', ref: 'no-such-ref' }, ctx);
    expect(unknown.code).toBe('not_found');
    expect(git(ws.root, ['tag', '--list'])).toBe('');
  });
});

describe('git_branches and git_switch_branch', () => {
  it('creates a branch, switches back, and refuses an unknown one', async () => {
    const ws = repo();
    const ctx = await contextFor(ws.root);
    const created = await call(gitSwitchBranch, { name: 'experiment/lr', create: true }, ctx);
    expect(created).toMatchObject({ branch: 'experiment/lr', created: true });
    expect(git(ws.root, ['branch', '--show-current'])).toBe('experiment/lr');
    const listed = await call<{ current: string; branches: Array<{ name: string }> }>(gitBranches, {}, ctx);
    expect(listed.current).toBe('experiment/lr');
    expect(listed.branches.map((b) => b.name).sort()).toEqual(['experiment/lr', 'main']);

    await call(gitSwitchBranch, { name: 'main' }, ctx);
    expect(git(ws.root, ['branch', '--show-current'])).toBe('main');
    expect((await callError(gitSwitchBranch, { name: 'nope' }, ctx)).code).toBe('not_found');
    expect((await callError(gitSwitchBranch, { name: 'main', create: true }, ctx)).code).toBe('conflict');
  });
});

describe('git_diff_summary', () => {
  it('counts lines per file between two tags and against the working tree', async () => {
    const ws = repo({ 'a.txt': 'one\ntwo\n', 'b.txt': 'bee\n' });
    git(ws.root, ['tag', 'v1']);
    ws.write('a.txt', 'one\nTWO\nthree\n');
    ws.write('c.txt', 'new\n');
    git(ws.root, ['rm', '--quiet', 'b.txt']);
    git(ws.root, ['add', '-A']);
    git(ws.root, ['commit', '--quiet', '--no-gpg-sign', '-m', 'second']);
    git(ws.root, ['tag', 'v2']);
    const ctx = await contextFor(ws.root);

    const between = await call<{ files: unknown[]; added: number; removed: number }>(
      gitDiffSummary,
      { from: 'v1', to: 'v2' },
      ctx,
    );
    expect(between.files).toEqual([
      { path: 'a.txt', status: 'modified', added: 2, removed: 1, binary: false },
      { path: 'b.txt', status: 'deleted', added: 0, removed: 1, binary: false },
      { path: 'c.txt', status: 'added', added: 1, removed: 0, binary: false },
    ]);
    expect(between).toMatchObject({ added: 3, removed: 2 });

    ws.write('c.txt', 'new\nmore\n');
    const worktree = await call(gitDiffSummary, {}, ctx);
    expect(worktree).toMatchObject({
      to: 'working tree',
      files: [{ path: 'c.txt', status: 'modified', added: 1, removed: 0 }],
    });
    const unknown = await callError(gitDiffSummary, { from: 'v9' }, ctx);
    expect(unknown.code).toBe('not_found');
    expect(unknown.hint).toContain('list-tags');
  });
});
