/**
 * Every template for real: `init`, then `env setup` (uv, pinned dependencies from PyPI), then the
 * generated project's own pytest suite and its training entry point, on the data the template
 * ships (scikit-learn's bundled datasets, or the CSV in the package). Nothing else is downloaded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetup } from '../../tools/env/setup-env.js';
import { projectInit } from '../../tools/project/init-project.js';
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from '../../tools/project/templates.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, INSTALL_TIMEOUT, projectPython, readJson, timings } from './fixtures.js';

type Metrics = Record<string, number>;

/** What a sane first run of each baseline scores on its packaged data. */
const EXPECT: Record<TemplateName, (m: Metrics) => void> = {
  'ml-classification': (m) => {
    expect(m.accuracy).toBeGreaterThan(0.9);
    expect(m.f1_macro).toBeGreaterThan(0.9);
    expect(m.roc_auc).toBeGreaterThan(0.95);
  },
  'ml-regression': (m) => {
    expect(m.r2).toBeGreaterThan(0.3);
    expect(m.r2).toBeLessThanOrEqual(1);
    expect(m.mae).toBeGreaterThan(0);
    expect(m.rmse).toBeGreaterThanOrEqual(m.mae ?? Infinity);
  },
  'time-series': (m) => {
    // Monthly CO2: the lag model follows the trend the seasonal naive forecast misses.
    expect(m.mae).toBeLessThan(m.seasonal_naive_mae ?? 0);
    expect(m.mape).toBeGreaterThan(0);
    expect(m.mape).toBeLessThan(1);
  },
  nlp: (m) => {
    expect(m.accuracy).toBeGreaterThan(0.8);
    expect(m.f1_macro).toBeGreaterThan(0.8);
  },
  cv: (m) => {
    expect(m.accuracy).toBeGreaterThan(0.95);
    expect(m.f1_macro).toBeGreaterThan(0.95);
  },
  dl: (m) => {
    expect(m.accuracy).toBeGreaterThan(0.9);
    expect(m.roc_auc).toBeGreaterThan(0.95);
  },
};

describe('project templates, end to end', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  const times = timings();

  beforeAll(async () => {
    ws = makeWorkspace();
    ctx = await contextFor(ws.root);
  });
  afterAll(() => {
    times.print('template timings (init / env setup / pytest / train):');
    ws.cleanup();
  });

  it.each(TEMPLATE_NAMES)(
    '%s: init, env setup, its own tests and its training entry point',
    async (template) => {
      const spec = TEMPLATES[template];
      let started = performance.now();
      const init = await call<{ project: string; package: string; git_commit: string }>(
        projectInit,
        { name: `p-${template}`, template },
        ctx,
      );
      times.add(`${template} init`, performance.now() - started);
      const dir = join(ws.root, init.project);

      const git = simpleGit(dir);
      const log = await git.log();
      expect(log.total).toBe(1);
      expect(log.latest?.hash).toBe(init.git_commit);
      expect((await git.status()).isClean()).toBe(true);

      started = performance.now();
      const setup = await call<{ manager: string; requirements: string[] }>(
        envSetup,
        { project: init.project, auto: true },
        ctx,
      );
      times.add(`${template} env setup (${setup.manager})`, performance.now() - started);
      for (const dep of spec.dependencies) expect(setup.requirements).toContain(dep);

      const tests = projectPython(dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
      times.add(`${template} pytest`, tests.ms);
      expect(tests.code, tests.output).toBe(0);
      expect(tests.output).toMatch(/\d+ passed/);
      expect(tests.output).not.toMatch(/failed|error/i);

      const train = projectPython(dir, [
        '-m',
        `${init.package}.train`,
        '--config',
        'configs/experiment.yaml',
      ]);
      times.add(`${template} train`, train.ms);
      expect(train.code, train.output).toBe(0);
      const metrics = readJson<Metrics>(join(dir, 'metrics.json'));
      expect(Object.keys(metrics).sort()).toEqual([...spec.metrics].sort());
      for (const value of Object.values(metrics)) expect(Number.isFinite(value)).toBe(true);
      EXPECT[template](metrics);
      expect(existsSync(join(dir, 'models'))).toBe(true);
    },
    INSTALL_TIMEOUT,
  );
});
