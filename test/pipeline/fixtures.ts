/**
 * A real project for the pipeline tests: `init` from the ml-classification template with
 * vega-datasets' seattle-weather.csv (1,461 rows, packaged with the repo) and `env setup` (uv,
 * from its cache), so python stages run in a .venv with pandas and scikit-learn.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSetup } from '../../tools/env/setup-env.js';
import { projectInit } from '../../tools/project/init-project.js';
import type { ToolContext } from '../../tools/core/types.js';
import { call } from '../helpers/call.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { VEGA_DATA } from '../project/fixtures.js';

export { call, callError } from '../helpers/call.js';

export interface WeatherProject {
  ws: TempWorkspace;
  ctx: ToolContext;
  /** The project folder, relative to the workspace. */
  project: string;
  dir: string;
}

export const SETUP_TIMEOUT = 300_000;
export const RUN_TIMEOUT = 240_000;
export const WEATHER_ROWS = 1461;

export async function weatherProject(datastackYaml?: string): Promise<WeatherProject> {
  const ws = makeWorkspace(datastackYaml ? { 'datastack.yaml': datastackYaml } : {});
  copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'seattle-weather.csv'));
  const ctx = await contextFor(ws.root);
  const project = 'weather';
  await call(
    projectInit,
    {
      name: project,
      template: 'ml-classification',
      dataset: 'seattle-weather.csv',
      target: 'weather',
      git: false,
    },
    ctx,
  );
  await call(envSetup, { project, auto: true }, ctx);
  return { ws, ctx, project, dir: join(ws.root, project) };
}

/** Data rows of a CSV file (header excluded). */
export function csvRows(path: string): number {
  return readFileSync(path, 'utf8').trim().split('\n').length - 1;
}
