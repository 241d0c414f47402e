/**
 * `datastack generate pipeline --target churn`: a complete pipeline (clean → features → train →
 * evaluate) for a dataset of the project, its params filled from the dataset's real columns as
 * DuckDB reads them (the same facts `generate notebook` uses): dates, categories, columns to drop,
 * and the task the target calls for.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import type { StageSpec } from './model.js';
import { ALGORITHMS } from './stage-templates.js';

const Input = z.object({
  target: z.string().min(1).describe('Column to predict, e.g. churn_prediction'),
  dataset: z
    .string()
    .optional()
    .describe("Data file (CSV, Parquet, JSON); default: the only one in the project's data/raw/"),
  name: z.string().optional().describe('Pipeline name (default: the target, kebab-cased)'),
  algorithm: z.enum(ALGORITHMS).default('random-forest').describe('Model the train stage fits'),
  project: z.string().default('.').describe('Project folder'),
  force: z.boolean().default(false).describe('Overwrite a pipeline of that name and its stage scripts'),
});

const Output = z.object({
  pipeline: z.string().describe('Pipeline name'),
  file: z.string().describe('The pipeline file, relative to the workspace'),
  dataset: z.string().describe('The data it reads, relative to the project'),
  task: z.string().describe('classification or regression'),
  stages: z
    .array(
      z.object({
        name: z.string().describe('Stage'),
        script: z.string().describe('Its script'),
        outputs: z.array(z.string()).describe('What it writes'),
      }),
    )
    .describe('The stages written'),
  columns: z
    .object({
      numeric: z.array(z.string()).describe('Numeric features'),
      categorical: z.array(z.string()).describe('One-hot encoded columns'),
      dates: z.array(z.string()).describe('Date columns split into parts'),
      dropped: z.array(z.string()).describe('Columns left out (ids, free text, constant)'),
    })
    .describe('How the columns are used'),
});

export const pipelineGenerate = defineTool({
  name: 'pipeline_generate',
  title: 'Generate a pipeline',
  description:
    "Writes a complete pipeline for a dataset and target column in the project: data cleaning → feature engineering → training (random-forest, logistic-regression or gradient-boosting) → evaluation into metrics.json, with runnable stage scripts and params taken from the dataset's real columns. Run it with pipeline_run.",
  toolset: 'pipeline',
  action: 'generate',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  toText: (out) =>
    [
      `Pipeline ${out.pipeline} (${out.file}): ${out.task} of ${out.dataset}`,
      `stages: ${out.stages.map((s) => s.name).join(' → ')}`,
      `numeric: ${out.columns.numeric.join(', ') || '-'}; categorical: ${out.columns.categorical.join(', ') || '-'}; dates: ${out.columns.dates.join(', ') || '-'}; dropped: ${out.columns.dropped.join(', ') || '-'}`,
      `Run it: datastack pipeline run ${out.pipeline}`,
    ].join('\n'),
  async run(input, ctx) {
    const [paths, file, facts, templates, { loadPipeline }] = await Promise.all([
      import('./paths.js'),
      import('./pipeline-file.js'),
      import('../notebook/facts.js'),
      import('./stage-templates.js'),
      import('./load-pipeline.js'),
    ]);
    const project = paths.resolvePipelineProject(ctx, input.project);
    const name =
      input.name ??
      input.target
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 63);
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)) {
      throw new ToolError('invalid_input', `"${name}" cannot name a pipeline`, {
        hint: 'Give --name with lower-case letters, digits, - and _',
      });
    }
    const pipelinePath = join(project.dir, paths.pipelineFile(name));
    if (existsSync(pipelinePath) && !input.force) {
      throw new ToolError('conflict', `${ctx.workspace.display(pipelinePath)} already exists`, {
        hint: 'Pass --name for another pipeline, or --force to regenerate it',
      });
    }
    const dataset = inProject(
      project.dir,
      ctx.workspace.resolve(input.dataset ?? onlyRawFile(project.dir, project.display)),
    );
    const known = await facts.datasetFacts(ctx, ctx.workspace.display(join(project.dir, dataset)));
    const target = facts.findColumn(known, input.target);
    const task = facts.decideTask(known, target);
    const others = known.columns.filter((column) => column.name !== target.name);
    const names = (role: string) =>
      others.filter((column) => column.role === role).map((column) => column.name);
    const columns = {
      numeric: names('numeric'),
      categorical: names('categorical'),
      dates: names('date'),
      dropped: [...names('dropped'), ...names('text')],
    };

    const stageDefs: Array<{
      stage: string;
      template: 'data-cleaning' | 'feature-engineering' | 'train' | 'evaluate';
      params: Record<string, unknown>;
    }> = [
      {
        stage: 'clean',
        template: 'data-cleaning',
        params: {
          target: target.name,
          drop_columns: columns.dropped,
          ...(Object.keys(known.readOptions).length ? { read_options: known.readOptions } : {}),
        },
      },
      {
        stage: 'features',
        template: 'feature-engineering',
        params: { target: target.name, date_columns: columns.dates, categorical: columns.categorical },
      },
      {
        stage: 'train',
        template: 'train',
        params: { target: target.name, algorithm: input.algorithm, task },
      },
      { stage: 'evaluate', template: 'evaluate', params: {} },
    ];
    const stages: StageSpec[] = [];
    for (const def of stageDefs) {
      const info = templates.STAGE_TEMPLATES[def.template];
      const previous = stages.at(-1);
      const inputs = previous
        ? info.takes === 'all'
          ? previous.outputs
          : previous.outputs.slice(0, 1)
        : [dataset];
      const script = paths.stageScript(name, def.stage);
      mkdirSync(dirname(join(project.dir, script)), { recursive: true });
      writeFileSync(join(project.dir, script), templates.templateSource(def.template));
      stages.push({
        name: def.stage,
        kind: 'python',
        script,
        args: [],
        inputs,
        outputs: info.outputs(name, def.stage),
        params: def.params,
        template: def.template,
      });
    }
    file.writeAtomic(
      pipelinePath,
      await file.newPipelineText(name, `Predict ${target.name} (${task}) from ${dataset}`, stages),
    );
    await loadPipeline(project.dir, pipelinePath, ctx.workspace.display(pipelinePath));
    return {
      pipeline: name,
      file: ctx.workspace.display(pipelinePath),
      dataset,
      task,
      stages: stages.map((stage) => ({
        name: stage.name,
        script: stage.script ?? '',
        outputs: stage.outputs,
      })),
      columns,
    };
  },
});

/** The project-relative path of the dataset; a file outside the project is copied to data/raw/. */
function inProject(projectDir: string, absolute: string): string {
  const rel = relative(projectDir, absolute);
  if (!rel.startsWith('..') && !rel.startsWith('/')) return rel;
  const copy = join('data', 'raw', basename(absolute));
  mkdirSync(join(projectDir, 'data', 'raw'), { recursive: true });
  copyFileSync(absolute, join(projectDir, copy));
  return copy;
}

function onlyRawFile(projectDir: string, display: string): string {
  const folder = join(projectDir, 'data', 'raw');
  const files = existsSync(folder)
    ? readdirSync(folder).filter((f) => /\.(csv|tsv|parquet|json|jsonl|ndjson)(\.gz)?$/i.test(f))
    : [];
  if (files.length === 1 && files[0]) return join(folder, files[0]);
  throw new ToolError(
    'invalid_input',
    files.length
      ? `${display}/data/raw has ${files.length} data files: say which`
      : `${display}/data/raw has no data file`,
    {
      hint: files.length ? `Pass --dataset (one of ${files.slice(0, 5).join(', ')})` : 'Pass --dataset FILE',
    },
  );
}
