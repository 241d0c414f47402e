/** `datastack init` as a person types it: the built CLI, a git repository with one commit, exit codes. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../tools/stack/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { INSTALL_TIMEOUT, VEGA_DATA } from './fixtures.js';

describe('datastack init (CLI)', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = makeWorkspace();
  });
  afterAll(() => ws.cleanup());

  it('creates the project layout, commits it, and prints the next steps', async () => {
    const result = await runCli(['init', 'churn', '--template', 'ml-classification', '--json'], {
      cwd: ws.root,
    });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { package: string; git_commit: string; next_steps: string[] };
    expect(out.next_steps).toContain('datastack env setup --auto');
    const dir = join(ws.root, 'churn');
    for (const path of [
      'src/churn/train.py',
      'src/churn/datasets.py',
      'configs/experiment.yaml',
      'tests/test_pipeline.py',
      'data/raw/.gitkeep',
      'data/interim/.gitkeep',
      'data/processed/.gitkeep',
      'notebooks/README.md',
      'pyproject.toml',
      'Makefile',
      'README.md',
      'datastack.yaml',
      '.mcp.json',
      '.gitignore',
    ]) {
      expect(existsSync(join(dir, path)), path).toBe(true);
    }
    const mcp = JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    expect(mcp.mcpServers.datastack).toEqual({ command: 'datastack', args: ['mcp'] });
    expect(readFileSync(join(dir, 'data/raw/.gitignore'), 'utf8')).toMatch(/^\*\n!\.gitignore\n/m);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toMatch(
      /requires-python = ">=3\.11"[\s\S]*"scikit-learn==1\.9\.1"/,
    );

    const git = simpleGit(dir);
    const log = await git.log();
    expect(log.total).toBe(1);
    expect(log.latest?.hash).toBe(out.git_commit);
    // Data stays out of git; the folders themselves are kept.
    const files = (await git.raw(['ls-files'])).split('\n');
    expect(files).toContain('data/raw/.gitkeep');
    expect(files).toContain('src/churn/train.py');
  });

  it('authors the commit as DataStack when git has no identity', async () => {
    const result = await runCli(['init', 'anon', '--template', 'time-series'], {
      cwd: ws.root,
      env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    expect(result.code, result.stderr).toBe(0);
    const log = await simpleGit(join(ws.root, 'anon')).log();
    expect(log.latest?.author_name).toBe('DataStack');
  });

  it(
    'puts the dataset under DVC with --dvc, in the same first commit',
    async () => {
      copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'weather.csv'));
      const args = ['init', 'tracked', '--template', 'ml-classification', '--dataset', 'weather.csv'];
      // The real home: DVC goes into the shared venv in ~/.cache/datastack once, not into each test folder.
      const result = await runCli([...args, '--target', 'weather', '--dvc'], {
        cwd: ws.root,
        env: { HOME: homedir() },
        timeoutMs: INSTALL_TIMEOUT,
      });
      expect(result.code, result.stderr).toBe(0);
      const dir = join(ws.root, 'tracked');
      expect(existsSync(join(dir, '.dvc', 'config'))).toBe(true);
      const git = simpleGit(dir);
      expect((await git.log()).total).toBe(1);
      expect((await git.status()).isClean()).toBe(true);
      const files = (await git.raw(['ls-files'])).split('\n');
      expect(files).toContain('data/raw/weather.csv.dvc');
      expect(files).not.toContain('data/raw/weather.csv');
      expect(readFileSync(join(dir, 'data/raw/weather.csv.dvc'), 'utf8')).toMatch(/md5: [0-9a-f]{32}/);
      // DVC itself sees the data: a deleted file shows in `dvc status` and `dvc checkout` brings it back.
      rmSync(join(dir, 'data/raw/weather.csv'));
      const dvc = join(defaultCacheDir(), 'venv', 'bin', 'dvc');
      expect(execFileSync(dvc, ['status'], { cwd: dir, encoding: 'utf8' })).toMatch(
        /deleted:\s+data\/raw\/weather\.csv/,
      );
      execFileSync(dvc, ['checkout'], { cwd: dir });
      expect(existsSync(join(dir, 'data/raw/weather.csv'))).toBe(true);
    },
    INSTALL_TIMEOUT,
  );

  it('exits non-zero with a hint on a non-empty folder', async () => {
    const result = await runCli(['init', 'churn', '--template', 'nlp'], { cwd: ws.root });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('already exists and is not empty');
    expect(result.stderr).toContain('--force');
  });
});
