/**
 * From a request to a notebook on disk: learn the dataset, check the target and model, choose
 * paths (all relative to the notebook, so the folder can move with its data), assemble the cells.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, relative, sep } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { introCells, loadCells, type Analysis, type NotebookPlan } from './cells-common.js';
import { debugCells } from './cells-debug.js';
import { edaCells, shellWord } from './cells-eda.js';
import { engineeringCells } from './cells-features.js';
import { evaluationCells, modelingCells } from './cells-model.js';
import { datasetFacts, decideTask, findColumn, type Task } from './facts.js';
import { notebookJson, type Cell } from './ipynb.js';
import { describedModel, resolveModel } from './model-spec.js';

export interface NotebookRequest {
  analysis: Analysis;
  dataset: string;
  target?: string | undefined;
  task?: Task | undefined;
  model?: string | undefined;
  out?: string | undefined;
  force: boolean;
}

const NEEDS_TARGET: ReadonlySet<Analysis> = new Set(['modeling', 'evaluation', 'debug']);
const TAKES_MODEL: ReadonlySet<Analysis> = new Set(['evaluation', 'debug']);

const BODIES: Record<Analysis, (plan: NotebookPlan) => Cell[]> = {
  eda: edaCells,
  'feature-engineering': engineeringCells,
  modeling: modelingCells,
  evaluation: evaluationCells,
  debug: debugCells,
};

/** `sales.csv.gz` → `sales`; safe in a file name. */
function stemOf(path: string): string {
  const name = basename(path).replace(/\.(gz|zst)$/i, '');
  return slug(name.slice(0, name.length - extname(name).length));
}

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'data';

/** POSIX path from the notebook's folder to a file (notebooks are shared across systems). */
const fromNotebook = (notebook: string, target: string) =>
  relative(dirname(notebook), target).split(sep).join('/');

export interface PlannedNotebook {
  plan: NotebookPlan;
  /** Absolute path of the notebook. */
  path: string;
  cells: Cell[];
}

export async function planNotebook(ctx: ToolContext, request: NotebookRequest): Promise<PlannedNotebook> {
  const { analysis } = request;
  if (request.model !== undefined && !TAKES_MODEL.has(analysis)) {
    throw new ToolError(
      'invalid_input',
      `--model is for the evaluation and debug notebooks, not ${analysis}`,
      {
        hint: 'Leave out the model, or use analysis evaluation or debug',
      },
    );
  }
  const out = request.out ?? `notebooks/${analysis}-${stemOf(request.dataset)}.ipynb`;
  if (extname(out).toLowerCase() !== '.ipynb') {
    throw new ToolError('invalid_input', `The notebook path must end in .ipynb: ${out}`, {
      hint: 'e.g. --out notebooks/eda-sales.ipynb',
    });
  }
  const path = ctx.workspace.resolve(out);

  const facts = await datasetFacts(ctx, request.dataset);
  if (request.target === undefined && NEEDS_TARGET.has(analysis)) {
    throw new ToolError('invalid_input', `The ${analysis} notebook needs a target column`, {
      hint: `Pass target (--target), one of: ${facts.columns
        .map((c) => c.name)
        .slice(0, 40)
        .join(', ')}`,
    });
  }
  const target = request.target === undefined ? undefined : findColumn(facts, request.target);
  const task = target ? decideTask(facts, target, request.task) : undefined;
  if (existsSync(path) && !request.force) {
    throw new ToolError('invalid_input', `${ctx.workspace.display(path)} already exists`, {
      hint: 'Pass force: true (--force) to overwrite it, or choose another path with out (--out)',
    });
  }

  const model =
    request.model !== undefined && task
      ? resolveModel(ctx, request.model, task)
      : analysis === 'debug' && task
        ? describedModel('random forest (no model given)', task)
        : undefined;
  const modelOutAbsolute =
    analysis === 'modeling' && target
      ? ctx.workspace.resolve(`models/${stemOf(request.dataset)}-${slug(target.name)}.joblib`)
      : undefined;

  const plan: NotebookPlan = {
    analysis,
    facts,
    dataPath: fromNotebook(path, facts.dataset.absolute),
    command: commandFor(request, ctx.workspace.display(path)),
    ...(target ? { target } : {}),
    ...(task ? { task } : {}),
    ...(model ? { model } : {}),
    ...(model?.kind === 'file' ? { modelPath: fromNotebook(path, model.absolute) } : {}),
    ...(modelOutAbsolute
      ? {
          modelOut: fromNotebook(path, modelOutAbsolute),
          modelOutDisplay: ctx.workspace.display(modelOutAbsolute),
        }
      : {}),
  };
  const cells = [...introCells(plan), ...loadCells(plan), ...BODIES[analysis](plan)];
  return { plan, path, cells };
}

export function writeNotebook(planned: PlannedNotebook, force: boolean): void {
  const { plan, path, cells } = planned;
  mkdirSync(dirname(path), { recursive: true });
  const json = notebookJson(cells, {
    datastack: {
      analysis: plan.analysis,
      dataset: plan.facts.dataset.display,
      ...(plan.target ? { target: plan.target.name, task: plan.task } : {}),
      command: plan.command,
    },
  });
  // 'wx' refuses to replace a file that appeared since the check: never overwrite without force.
  writeFileSync(path, json, { flag: force ? 'w' : 'wx' });
}

function commandFor(request: NotebookRequest, out: string): string {
  const words = [
    'datastack generate notebook',
    `--analysis ${request.analysis}`,
    `--dataset ${shellWord(request.dataset)}`,
  ];
  if (request.target !== undefined) words.push(`--target ${shellWord(request.target)}`);
  if (request.task !== undefined) words.push(`--task ${request.task}`);
  if (request.model !== undefined) words.push(`--model ${shellWord(request.model)}`);
  words.push(`--out ${shellWord(out)}`, '--force');
  return words.join(' ');
}
