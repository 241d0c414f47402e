/**
 * `experiment reproduce` for real: git worktrees, DVC (from the shared venv) with the project's
 * cache, the project's .venv and the test MLflow server. A run is reproduced after a later commit
 * changed both the data and the config; runs that cannot be reproduced (dirty tree, unknown
 * commit, altered or missing cached data) are refused with the reason, and no worktree is left.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentReproduce } from '../../tools/experiment/reproduce-run.js';
import { experimentRun } from '../../tools/experiment/run-experiment.js';
import { DVC_SPEC } from '../../tools/project/git-repo.js';
import { ensurePythonPackages } from '../../tools/stack/python.js';
import {
  call,
  callError,
  commitAll,
  editYaml,
  experimentProject,
  headCommit,
  RUN_TIMEOUT,
  SETUP_TIMEOUT,
  tagsOf,
  type ExperimentProject,
} from './fixtures.js';

interface Reproduction {
  reproduces: string;
  run_id: string;
  commit: string;
  matched: boolean;
  data: Array<{ path: string; md5: string }>;
  metrics: Array<{ metric: string; recorded: number; reproduced?: number; match: boolean }>;
  env_lock_matches?: boolean;
  worktree?: string;
}

const DATA = 'data/raw/seattle-weather.csv';

describe('experiment reproduce', () => {
  let fx: ExperimentProject;
  let dvc: string;
  let first: { run_id: string; metrics: Record<string, number> };
  let firstCommit: string;
  let originalMd5: string;
  const worktrees = async () => (await simpleGit(fx.dir).raw(['worktree', 'list'])).trim().split('\n');
  const cacheObject = (md5: string) => join(fx.dir, '.dvc/cache/files/md5', md5.slice(0, 2), md5.slice(2));
  const dvcMd5 = () =>
    (parse(readFileSync(join(fx.dir, `${DATA}.dvc`), 'utf8')) as { outs: Array<{ md5: string }> }).outs[0]?.md5 as string;

  beforeAll(async () => {
    fx = await experimentProject('reproduce');
    dvc = (await ensurePythonPackages([DVC_SPEC])).bin('dvc');
    firstCommit = await headCommit(fx.dir);
    originalMd5 = dvcMd5();
    first = await call(experimentRun, { project: fx.project, set: ['model.type=random_forest', 'model.params.max_depth=5'] }, fx.ctx);

    // A later commit changes the data (a third of the rows go) and the config's seed.
    const csv = readFileSync(join(fx.dir, DATA), 'utf8').split('\n');
    writeFileSync(join(fx.dir, DATA), csv.slice(0, Math.floor(csv.length * 0.66)).join('\n'));
    execFileSync(dvc, ['add', '--quiet', DATA], { cwd: fx.dir, env: { ...process.env, DVC_NO_ANALYTICS: '1' } });
    editYaml(join(fx.dir, 'configs/experiment.yaml'), (doc) => {
      doc.seed = 1;
    });
    await commitAll(fx.dir, 'Fewer rows, another seed');
  }, SETUP_TIMEOUT);
  afterAll(() => fx?.ws.cleanup());

  it(
    "re-creates an older run's metrics from its commit and data, without touching the working tree",
    async () => {
      const head = await headCommit(fx.dir);
      expect(head).not.toBe(firstCommit);
      expect(dvcMd5()).not.toBe(originalMd5);
      const dataNow = readFileSync(join(fx.dir, DATA), 'utf8');

      const result = await call<Reproduction>(experimentReproduce, { run: first.run_id, project: fx.project }, fx.ctx);
      expect(result.matched).toBe(true);
      expect(result.commit).toBe(firstCommit);
      expect(result.data).toEqual([{ path: DATA, md5: originalMd5 }]);
      expect(result.env_lock_matches).toBe(true);
      expect(result.metrics.map((m) => m.metric).sort()).toEqual(Object.keys(first.metrics).sort());
      for (const m of result.metrics) expect(m.reproduced).toBe(first.metrics[m.metric]);

      const run = await fx.client.getRun(result.run_id);
      expect(run.info.status).toBe('FINISHED');
      const tags = tagsOf(run);
      expect(tags['datastack.reproduces']).toBe(first.run_id);
      expect(tags['datastack.reproduction.match']).toBe('true');
      expect(tags['mlflow.source.git.commit']).toBe(firstCommit);
      expect(tags[`datastack.data.${DATA}`]).toBe(originalMd5);

      // The user's checkout: same commit, same (newer) data, and no worktree left behind.
      expect(await headCommit(fx.dir)).toBe(head);
      expect(readFileSync(join(fx.dir, DATA), 'utf8')).toBe(dataNow);
      expect((await simpleGit(fx.dir).status(['--untracked-files=no'])).isClean()).toBe(true);
      expect(await worktrees()).toHaveLength(1);
      expect(existsSync(join(tmpdir(), 'datastack-reproduce', first.run_id))).toBe(false);
    },
    RUN_TIMEOUT,
  );

  it(
    'keeps the worktree with --keep, and reports a mismatch beyond the tolerance',
    async () => {
      // A run of the current commit whose metrics are then altered on the server: the reproduction must disagree.
      const later = await call<{ run_id: string; metrics: Record<string, number> }>(experimentRun, { project: fx.project }, fx.ctx);
      const [metric, value] = Object.entries(later.metrics)[0] as [string, number];
      await fx.client.logBatch(later.run_id, { metrics: [{ key: metric, value: value + 0.01, timestamp: Date.now() + 1000, step: 1 }] });
      const result = await call<Reproduction>(experimentReproduce, { run: later.run_id, project: fx.project, keep: true }, fx.ctx);
      expect(result.matched).toBe(false);
      expect(result.metrics.find((m) => m.metric === metric)).toMatchObject({ match: false, reproduced: value });
      expect(result.worktree).toBeDefined();
      expect(existsSync(join(result.worktree as string, 'configs/experiment.yaml'))).toBe(true);
      expect(tagsOf(await fx.client.getRun(result.run_id))['datastack.reproduction.match']).toBe('false');
      // A second reproduction replaces the kept worktree instead of failing on it.
      const again = await call<Reproduction>(
        experimentReproduce,
        { run: later.run_id, project: fx.project, tolerance: 0.05 },
        fx.ctx,
      );
      expect(again.matched).toBe(true);
      expect(await worktrees()).toHaveLength(1);
    },
    RUN_TIMEOUT * 2,
  );

  it(
    'refuses a run made from a dirty tree, naming --allow-dirty, and a commit the repository lacks',
    async () => {
      const readme = join(fx.dir, 'README.md');
      const before = readFileSync(readme, 'utf8');
      appendFileSync(readme, '\nwork in progress\n');
      let dirtyRun: string;
      try {
        dirtyRun = (await call<{ run_id: string }>(experimentRun, { project: fx.project }, fx.ctx)).run_id;
      } finally {
        writeFileSync(readme, before);
      }
      const dirty = await callError(experimentReproduce, { run: dirtyRun, project: fx.project }, fx.ctx);
      expect(dirty.code).toBe('conflict');
      expect(dirty.message).toContain('dirty working tree');
      expect(dirty.hint).toContain('--allow-dirty');

      const experimentId = (await fx.client.getRun(first.run_id)).info.experiment_id;
      const foreign = await fx.client.createRun(experimentId, {
        tags: { 'mlflow.source.git.commit': 'ab'.repeat(20), 'datastack.git.dirty': 'false' },
      });
      await fx.client.logBatch(foreign.info.run_id, { metrics: [{ key: 'accuracy', value: 0.5, timestamp: Date.now() }] });
      await fx.client.setRunStatus(foreign.info.run_id, 'FINISHED');
      const missing = await callError(experimentReproduce, { run: foreign.info.run_id, project: fx.project }, fx.ctx);
      expect(missing.code).toBe('not_found');
      expect(missing.message).toContain('is not in the repository');
      expect(await worktrees()).toHaveLength(1);
    },
    RUN_TIMEOUT,
  );

  it(
    'refuses when the cached data was altered, and when it is gone with no remote to pull from',
    async () => {
      const object = cacheObject(originalMd5);
      expect(existsSync(object)).toBe(true);
      const good = readFileSync(object);
      chmodSync(object, 0o644);
      writeFileSync(object, good.toString('utf8').replace(/sun/g, 'fog'));
      const altered = await callError(experimentReproduce, { run: first.run_id, project: fx.project }, fx.ctx);
      expect(altered.code).toBe('conflict');
      expect(altered.message).toContain(DATA);
      expect(altered.message).toContain(originalMd5);
      expect(await worktrees()).toHaveLength(1);

      rmSync(object);
      const gone = await callError(experimentReproduce, { run: first.run_id, project: fx.project }, fx.ctx);
      expect(gone.code).toBe('not_found');
      expect(gone.message).toContain('not in the DVC cache');
      expect(gone.message).toContain('no DVC remote');
      expect(await worktrees()).toHaveLength(1);
    },
    RUN_TIMEOUT,
  );
});
