/**
 * Where a pipeline's files live: the definition in the project (`pipelines/NAME.yaml`, stage
 * scripts in `pipelines/NAME/stages/`), what DataStack records about its runs in
 * `.datastack/pipelines/NAME/` (state.json, runs/<id>/<stage>.log).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export interface PipelineProject {
  /** Absolute project folder. */
  dir: string;
  /** The folder as the user sees it (relative to the workspace). */
  display: string;
}

export function resolvePipelineProject(ctx: ToolContext, path: string): PipelineProject {
  const dir = ctx.workspace.resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ToolError('not_found', `Project folder not found: ${ctx.workspace.display(dir)}`, {
      hint: 'Give the project folder (`datastack init NAME` makes one); pipelines live in its pipelines/',
    });
  }
  return { dir, display: ctx.workspace.display(dir) };
}

export const pipelineFile = (name: string) => `pipelines/${name}.yaml`;
export const stageScript = (pipeline: string, stage: string) => `pipelines/${pipeline}/stages/${stage}.py`;
export const stateDir = (dir: string, name: string) => join(dir, '.datastack', 'pipelines', name);
export const stateFile = (dir: string, name: string) => join(stateDir(dir, name), 'state.json');
export const runDir = (dir: string, name: string, runId: string) => join(stateDir(dir, name), 'runs', runId);

/** Sortable and unique enough for one machine: 20250101-120000-ab12. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
