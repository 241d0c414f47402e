/** The pipeline commands through the built CLI, as a user types them: create, add-stage, run, show. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

describe('datastack pipeline (CLI)', () => {
  let ws: TempWorkspace;
  const cli = (...args: string[]) => runCli(args, { cwd: ws.root });

  beforeAll(() => {
    ws = makeWorkspace({ 'data/words.txt': 'b\na\nc\na\n' });
  });
  afterAll(() => ws?.cleanup());

  it('creates a pipeline, adds stages, runs it, skips it, and shows it', async () => {
    expect((await cli('pipeline', 'create', '--name', 'words')).code).toBe(0);
    const added = await cli(
      'pipeline',
      'add-stage',
      '--pipeline',
      'words',
      '--name',
      'sort',
      '--command',
      'sort -u data/words.txt > sorted.txt',
      '--inputs',
      'data/words.txt',
      '--outputs',
      'sorted.txt',
    );
    expect(added.code).toBe(0);
    expect(
      (
        await cli(
          'pipeline',
          'add-stage',
          '--name',
          'count',
          '--command',
          'wc -l < sorted.txt > count.txt',
          '--outputs',
          'count.txt',
        )
      ).code,
    ).toBe(0);

    const first = await cli('--json', 'pipeline', 'run', 'words');
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as {
      status: string;
      stages: Array<{ name: string; status: string }>;
    };
    expect(out.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['sort:succeeded', 'count:succeeded']);
    expect(readFileSync(join(ws.root, 'sorted.txt'), 'utf8')).toBe('a\nb\nc\n');
    expect(readFileSync(join(ws.root, 'count.txt'), 'utf8').trim()).toBe('3');

    const second = await cli('pipeline', 'run');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/sort\s+skipped/);
    const shown = await cli('pipeline', 'show', 'words');
    expect(shown.stdout).toMatch(
      /count\s+command\s+wc -l < sorted.txt > count.txt\s+sorted.txt\s+count.txt\s+sort\s+succeeded/,
    );
  });

  it('exits non-zero on a failing stage, naming its error and log', async () => {
    await cli(
      'pipeline',
      'add-stage',
      '--name',
      'fail',
      '--command',
      'echo partial > broken.txt; echo "KeyError: nope" >&2; exit 4',
      '--outputs',
      'broken.txt',
    );
    const result = await cli('pipeline', 'run', 'words');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Stage fail failed (exit code 4)');
    expect(result.stderr).toContain('KeyError: nope');
    expect(result.stderr).toMatch(/Full log: \.datastack\/pipelines\/words\/runs\/[^/]+\/fail\.log/);
    expect(existsSync(join(ws.root, 'broken.txt'))).toBe(false);
  });

  it('points at the line of a bad pipeline file', async () => {
    ws.write('pipelines/bad.yaml', 'name: bad\nstages:\n  - name: a\n    kind: shell\n    command: "true"\n');
    const result = await cli('pipeline', 'show', 'bad');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pipelines/bad.yaml:4: stages.0.kind');
  });
});
