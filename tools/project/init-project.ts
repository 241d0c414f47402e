import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { fitDataset, type DatasetFit } from './dataset-fit.js';
import { gitCommitAll, gitInit, initDvc } from './git-repo.js';
import { checkProjectName, distributionName, packageName } from './names.js';
import { writeLayers } from './template-files.js';
import { TEMPLATE_NAMES, TEMPLATES, type TemplateSpec } from './templates.js';

const Input = z.object({
  name: z
    .string()
    .min(1)
    .describe('Folder of the new project, relative to the workspace (its last part names it)'),
  template: z.enum(TEMPLATE_NAMES).describe('Project template'),
  dataset: z.string().optional().describe('CSV, Parquet or JSON file to train on; copied into data/raw/'),
  target: z.string().optional().describe('Column of the dataset to predict (required with dataset)'),
  python: z
    .string()
    .regex(/^3\.\d+$/, 'a Python 3 version such as 3.11')
    .default('3.11')
    .describe('Python version the project declares'),
  dvc: z.boolean().default(false).describe('Also run `dvc init` (DVC from the shared venv)'),
  git: z.boolean().default(true).describe('git init and a first commit'),
  force: z
    .boolean()
    .default(false)
    .describe('Replace an existing non-empty folder; the old one is kept as NAME.bak-TIMESTAMP'),
});

const Output = z.object({
  project: z.string().describe('Project folder, relative to the workspace'),
  template: z.string().describe('Template used'),
  package: z.string().describe('Python package under src/'),
  task: z.string().describe('Task the baseline solves'),
  data_source: z.string().describe('What the baseline trains on (config data.source)'),
  target: z.string().optional().describe('Target column'),
  features: z.array(z.string()).optional().describe('Feature columns written into the config'),
  dropped: z
    .array(
      z.object({
        column: z.string().describe('Column'),
        reason: z.string().describe('Why it is not a feature'),
      }),
    )
    .optional()
    .describe('Columns set aside'),
  warnings: z.array(z.string()).optional().describe('Things worth a look'),
  files: z.number().describe('Files written'),
  git_commit: z.string().optional().describe('First commit (full hash)'),
  dvc: z.boolean().describe('DVC initialised'),
  backup: z.string().optional().describe('Where the replaced folder was moved (with force)'),
  next_steps: z.array(z.string()).describe('Commands to run next'),
});

type InitInput = z.infer<typeof Input>;
type InitOutput = z.infer<typeof Output>;

export const projectInit = defineTool({
  name: 'project_init',
  title: 'Create a data science project',
  description:
    'Creates a Python project from a template (ml-classification, ml-regression, time-series, nlp, cv, dl) with a working baseline, tests, config, git and optional DVC; fitted to a dataset and target when given.',
  toolset: 'project',
  action: 'init',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  run: initProject,
});

const STEPS = 5;

async function initProject(input: InitInput, ctx: ToolContext): Promise<InitOutput> {
  const spec = TEMPLATES[input.template];
  const target = ctx.workspace.resolve(input.name);
  const name = basename(target);
  checkProjectName(name);
  if (target === ctx.workspace.root) {
    throw new ToolError('invalid_input', 'The project needs a folder of its own, not the workspace root', {
      hint: 'Give a new folder name, e.g. `datastack init churn --template ml-classification`',
    });
  }
  const replacing = checkTarget(target, input.force, ctx.workspace.display(target));

  ctx.progress({ done: 0, total: STEPS, message: input.dataset ? 'reading the dataset' : 'preparing' });
  if (input.target && !input.dataset) {
    throw new ToolError('invalid_input', '--target needs --dataset', {
      hint: `Without a dataset the template trains on its packaged data: ${spec.defaults.data}`,
    });
  }
  const fit = input.dataset ? await fitDataset(ctx, spec, input.dataset, input.target) : undefined;
  const pkg = packageName(name);

  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(join(dirname(target), `.${name}.init-`));
  try {
    // mkdtemp makes the folder private (0700); a project folder is an ordinary one.
    chmodSync(temp, 0o755);
    ctx.progress({ done: 1, total: STEPS, message: `writing the ${spec.name} template` });
    const files = writeLayers(spec.layers, temp, pkg, renderVars(spec, name, pkg, input.python, fit));
    if (fit) copyFileSync(fit.absolute, join(temp, fit.rawPath));
    if (input.git) await gitInit(temp);
    if (input.dvc) {
      ctx.progress({ done: 2, total: STEPS, message: 'dvc init' });
      await initDvc(temp, input.git, fit?.rawPath, ctx);
    }
    let commit: string | undefined;
    if (input.git) {
      ctx.progress({ done: 3, total: STEPS, message: 'first commit' });
      commit = (await gitCommitAll(temp, `New ${spec.name} project from datastack init`)).commit;
    }
    ctx.progress({ done: 4, total: STEPS, message: 'moving the project into place' });
    const backup = swapIn(temp, target, replacing);
    ctx.progress({ done: STEPS, total: STEPS, message: 'done' });
    const display = ctx.workspace.display(target);
    return {
      project: display,
      template: spec.name,
      package: pkg,
      task: fit?.task || spec.task,
      data_source: String(fit?.vars.source ?? spec.defaults.vars.source),
      ...(fit ? { target: String(fit.vars.target), features: fit.features } : {}),
      ...(fit?.dropped.length ? { dropped: fit.dropped } : {}),
      ...(fit?.warnings.length ? { warnings: fit.warnings } : {}),
      files: files.length,
      ...(commit ? { git_commit: commit } : {}),
      dvc: input.dvc,
      ...(backup ? { backup: ctx.workspace.display(backup) } : {}),
      next_steps: [`cd ${display}`, 'datastack env setup --auto', 'make train', 'make test'],
    };
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** 'empty' when the folder exists with nothing in it, 'full' when --force replaces it, else 'none'. */
function checkTarget(target: string, force: boolean, display: string): 'none' | 'empty' | 'full' {
  if (!existsSync(target)) return 'none';
  if (!statSync(target).isDirectory()) {
    throw new ToolError('invalid_input', `${display} exists and is not a folder`, {
      hint: 'Choose another project name',
    });
  }
  if (readdirSync(target).length === 0) return 'empty';
  if (!force) {
    throw new ToolError('invalid_input', `${display} already exists and is not empty`, {
      hint: 'Choose another name, or pass --force to replace it (the old folder is kept as NAME.bak-TIMESTAMP)',
    });
  }
  return 'full';
}

/** Renames the finished project into place; a replaced folder is moved aside, never deleted. */
function swapIn(temp: string, target: string, replacing: 'none' | 'empty' | 'full'): string | undefined {
  let backup: string | undefined;
  if (replacing === 'empty') rmSync(target, { recursive: true });
  if (replacing === 'full') {
    backup = `${target}.bak-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    renameSync(target, backup);
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    if (backup) renameSync(backup, target);
    throw error;
  }
  return backup;
}

function renderVars(
  spec: TemplateSpec,
  name: string,
  pkg: string,
  python: string,
  fit: DatasetFit | undefined,
): Record<string, string> {
  const config = { ...spec.defaults.vars, ...(fit?.vars ?? {}) };
  const dependencies = [...spec.dependencies, ...(fit?.extraDependencies ?? [])];
  const vars: Record<string, string> = {
    name,
    name_json: JSON.stringify(name),
    package: pkg,
    distribution: distributionName(name),
    description: spec.description,
    template: spec.name,
    python,
    dependencies: dependencies.map((d) => `  "${d}",`).join('\n'),
    pip_requirements: [...dependencies, 'pytest==9.2.0'].map((d) => `'${d}'`).join(' '),
    metrics: spec.metrics.map((m) => `\`${m}\``).join(', '),
    baseline_description: spec.baseline,
    data_description: fit ? dataDescription(fit) : spec.defaults.data,
  };
  for (const [key, value] of Object.entries(config)) vars[key] = JSON.stringify(value);
  return vars;
}

function dataDescription(fit: DatasetFit): string {
  const lines = [
    `The baseline trains on \`${fit.rawPath}\` (${fit.rows} rows) and predicts \`${String(fit.vars.target)}\` (${fit.task}).`,
    `Features: ${fit.features.map((f) => `\`${f}\``).join(', ')}.`,
  ];
  if (fit.dropped.length)
    lines.push(`Set aside: ${fit.dropped.map((d) => `\`${d.column}\` (${d.reason})`).join(', ')}.`);
  lines.push('The file itself is not in git: track it with `dvc add` so a clone can `dvc pull` it.');
  return lines.join('\n');
}
