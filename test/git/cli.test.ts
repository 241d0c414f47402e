/** The git commands through the built `datastack` bin (build first: `npm run build`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import type { TempWorkspace } from '../helpers/workspace.js';
import { git, makeRepo } from './fixtures.js';

let ws: TempWorkspace;
beforeAll(() => {
  ws = makeRepo({ 'a.txt': 'one\n' });
});
afterAll(() => ws.cleanup());

// No global git config: commits and tags must fall back to the DataStack identity.
const env = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

describe('datastack git', () => {
  it('commits, tags, and shows status as JSON, as DataStack when git has no identity', async () => {
    ws.write('b.txt', 'bee\n');
    const committed = await runCli(['git', 'commit', '--all', '--message', 'add b', '--json'], {
      cwd: ws.root,
      env,
    });
    expect(committed.code, committed.stderr).toBe(0);
    expect(JSON.parse(committed.stdout)).toMatchObject({
      files: ['b.txt'],
      author: 'DataStack <datastack@localhost>',
    });

    const tagged = await runCli(['git', 'tag', 'v1', '--json'], { cwd: ws.root, env });
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(git(ws.root, ['for-each-ref', '--format=%(taggername)', 'refs/tags/v1'])).toBe('DataStack');

    const status = await runCli(['git', 'status', '--json'], { cwd: ws.root, env });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ branch: 'main', clean: true });

    const again = await runCli(['git', 'tag', 'v1'], { cwd: ws.root, env });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
  });
});
