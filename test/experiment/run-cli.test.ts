/**
 * The CLI end to end, as a person types it in the project folder: `datastack experiment run`
 * with repeated --set, --name and --compare-with, then `datastack experiment reproduce RUN`, each
 * a child process of the built bin, MLflow reached through MLFLOW_TRACKING_URI.
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../tools/stack/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { experimentProject, paramsOf, RUN_TIMEOUT, SETUP_TIMEOUT, type ExperimentProject } from './fixtures.js';

describe('datastack experiment run / reproduce (CLI)', () => {
  let fx: ExperimentProject;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fx = await experimentProject('cli');
    // The shared caches (DVC's venv, uv) stay where the rest of the tests put them.
    env = { MLFLOW_TRACKING_URI: fx.mlflowUrl, XDG_CACHE_HOME: dirname(defaultCacheDir()), HOME: process.env.HOME };
  }, SETUP_TIMEOUT);
  afterAll(() => fx?.ws.cleanup());

  it(
    'runs twice, compares with the first run, then reproduces it',
    async () => {
      const first = await runCli(['experiment', 'run', '--name', 'cli-first', '--json'], { cwd: fx.dir, env, timeoutMs: RUN_TIMEOUT });
      expect(first.code, first.stderr).toBe(0);
      const firstRun = JSON.parse(first.stdout) as { run_id: string; metrics: Record<string, number> };
      // Progress and the log path go to stderr; the result alone is on stdout.
      expect(first.stderr).toContain('train.log');

      const second = await runCli(
        ['experiment', 'run', '--set', 'model.type=random_forest', '--set', 'model.params.max_depth=6', '--compare-with', firstRun.run_id],
        { cwd: fx.dir, env, timeoutMs: RUN_TIMEOUT },
      );
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`run ${firstRun.run_id}`);
      expect(second.stdout).toMatch(/accuracy.*(better|worse|same)/s);
      const secondId = /run_id:\s+([0-9a-f]{32})/.exec(second.stdout)?.[1] as string;
      expect(paramsOf(await fx.client.getRun(secondId))).toMatchObject({
        'model.type': 'random_forest',
        'model.params.max_depth': '6',
      });

      const reproduce = await runCli(['experiment', 'reproduce', firstRun.run_id, '--json'], { cwd: fx.dir, env, timeoutMs: RUN_TIMEOUT });
      expect(reproduce.code, reproduce.stderr).toBe(0);
      const result = JSON.parse(reproduce.stdout) as { matched: boolean; reproduces: string };
      expect(result).toMatchObject({ matched: true, reproduces: firstRun.run_id });

      const failing = await runCli(['experiment', 'run', '--set', 'data.target=no_such_column'], { cwd: fx.dir, env, timeoutMs: RUN_TIMEOUT });
      expect(failing.code).not.toBe(0);
      expect(failing.stderr).toContain('marked FAILED');
      expect(failing.stderr).toContain('no_such_column');
    },
    RUN_TIMEOUT * 4,
  );
});
