import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/core/errors.js';
import { createWorkspace } from '../../tools/core/workspace.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as ToolError).code;
  }
};

describe('workspace paths', () => {
  it('resolves relative paths inside the root', () => {
    ws = makeWorkspace({ 'data/a.csv': 'x\n1\n' });
    const workspace = createWorkspace(ws.root);
    expect(workspace.resolve('data/a.csv')).toBe(join(ws.root, 'data', 'a.csv'));
    expect(workspace.resolve(join(ws.root, 'data'))).toBe(join(ws.root, 'data'));
    expect(workspace.display(join(ws.root, 'data', 'a.csv'))).toBe(join('data', 'a.csv'));
  });

  it('refuses .. escapes, absolute paths outside and symlinks that lead out', () => {
    ws = makeWorkspace();
    symlinkSync('/etc', join(ws.root, 'etc-link'));
    const workspace = createWorkspace(ws.root);
    expect(codeOf(() => workspace.resolve('../outside.csv'))).toBe('outside_workspace');
    expect(codeOf(() => workspace.resolve('data/../../x'))).toBe('outside_workspace');
    expect(codeOf(() => workspace.resolve('/etc/passwd'))).toBe('outside_workspace');
    expect(codeOf(() => workspace.resolve('etc-link/passwd'))).toBe('outside_workspace');
    expect(codeOf(() => workspace.resolve(''))).toBe('invalid_input');
  });

  it('allows folders named in allow_outside', () => {
    ws = makeWorkspace();
    const extra = join(ws.root, '..', `${ws.root.split('/').pop()}-extra`);
    mkdirSync(extra, { recursive: true });
    const workspace = createWorkspace(ws.root, [extra]);
    expect(workspace.resolve(join(extra, 'f.csv'))).toBe(join(extra, 'f.csv'));
    expect(codeOf(() => workspace.resolve('/etc/passwd'))).toBe('outside_workspace');
    rmSync(extra, { recursive: true, force: true });
  });
});
