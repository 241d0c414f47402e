/**
 * `datastack pipeline add-stage --pipeline P --name preprocessing --template data-cleaning`
 * (or `--algorithm random-forest` for a train stage, or `--kind command --command "…"`): the
 * stage goes into the file and, for a template, its script into pipelines/P/stages/NAME.py.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { StageName, STAGE_KINDS, type StageSpec } from './model.js';
import { ALGORITHMS, TEMPLATE_NAMES } from './stage-templates.js';

const Input = z.object({
  pipeline: z.string().optional().describe("Pipeline name (default: the project's only pipeline)"),
  name: StageName,
  template: z
    .enum(TEMPLATE_NAMES)
    .optional()
    .describe('Stage template whose script is written into the project'),
  algorithm: z
    .enum(ALGORITHMS)
    .optional()
    .describe('A train stage with this algorithm (implies --template train)'),
  kind: z.enum(STAGE_KINDS).optional().describe('Kind of a stage without a template (default python)'),
  script: z
    .string()
    .optional()
    .describe('Script, notebook, PySpark file or Embulk config of a stage without a template'),
  command: z.string().optional().describe('Shell command of a command stage'),
  inputs: z.array(z.string()).optional().describe("Files it reads (default: the previous stage's outputs)"),
  outputs: z
    .array(z.string())
    .optional()
    .describe("Files it writes (a template's default: a conventional path per layer)"),
  params: z.record(z.string(), z.unknown()).default({}).describe('Params as JSON, e.g. {"target": "churn"}'),
  needs: z.array(z.string()).optional().describe('Stages it runs after (default: the previous one)'),
  project: z.string().default('.').describe('Project folder'),
  force: z.boolean().default(false).describe('Replace a stage of that name and rewrite its script'),
});

const Output = z.object({
  pipeline: z.string().describe('Pipeline name'),
  stage: z.string().describe('Stage name'),
  kind: z.string().describe('Stage kind'),
  script: z.string().optional().describe('The script written or named, relative to the project'),
  inputs: z.array(z.string()).describe('Files it reads'),
  outputs: z.array(z.string()).describe('Files it writes'),
  params: z.record(z.string(), z.unknown()).optional().describe('Its params'),
  stages: z.number().describe('Stages in the pipeline now'),
});

export const pipelineAddStage = defineTool({
  name: 'pipeline_add_stage',
  title: 'Add a stage to a pipeline',
  description:
    "Adds a stage to pipelines/NAME.yaml: from a template (data-cleaning, feature-engineering, train, evaluate; writes a runnable Python script into pipelines/NAME/stages/), a train stage for an algorithm, or a python/command/notebook/spark/embulk stage of your own. Inputs default to the previous stage's outputs.",
  toolset: 'pipeline',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  toText: (out) =>
    `Stage ${out.stage} (${out.kind}${out.script ? `, ${out.script}` : ''}) added to ${out.pipeline} (${out.stages} stages): reads ${out.inputs.join(', ') || 'nothing'}, writes ${out.outputs.join(', ') || 'nothing'}`,
  async run(input, ctx) {
    const [paths, file, { loadPipeline }, templates] = await Promise.all([
      import('./paths.js'),
      import('./pipeline-file.js'),
      import('./load-pipeline.js'),
      import('./stage-templates.js'),
    ]);
    const project = paths.resolvePipelineProject(ctx, input.project);
    const name = file.choosePipeline(project.dir, project.display, input.pipeline);
    const pipelinePath = join(project.dir, paths.pipelineFile(name));
    const loaded = await loadPipeline(project.dir, pipelinePath, ctx.workspace.display(pipelinePath));
    const template = input.template ?? (input.algorithm ? 'train' : undefined);
    if (input.algorithm && template !== 'train') {
      throw new ToolError('invalid_input', `--algorithm goes with a train stage, not --template ${template}`);
    }
    const others = loaded.spec.stages.filter((stage) => stage.name !== input.name);
    const previous = input.needs?.length
      ? others.filter((stage) => input.needs?.includes(stage.name))
      : others.slice(-1);

    let stage: StageSpec;
    if (template) {
      const info = templates.STAGE_TEMPLATES[template];
      const script = paths.stageScript(name, input.name);
      const inherited =
        info.takes === 'all'
          ? previous.flatMap((s) => s.outputs)
          : previous.flatMap((s) => s.outputs.slice(0, 1));
      const inputs = input.inputs ?? inherited;
      if (inputs.length === 0) {
        throw new ToolError(
          'invalid_input',
          `Stage ${input.name} has nothing to read: it is the first stage`,
          {
            hint: 'Name its data: --inputs data/raw/FILE.csv',
          },
        );
      }
      stage = {
        name: input.name,
        kind: 'python',
        script,
        args: [],
        inputs,
        outputs: input.outputs ?? info.outputs(name, input.name),
        params: {
          ...(input.algorithm ? { algorithm: input.algorithm } : {}),
          ...inheritedTarget(previous),
          ...input.params,
        },
        template,
        ...(input.needs ? { needs: input.needs } : {}),
      };
      const target = join(project.dir, script);
      if (existsSync(target) && !input.force) {
        throw new ToolError('conflict', `${script} already exists`, {
          hint: 'Choose another --name, or --force to rewrite it',
        });
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, templates.templateSource(template));
    } else {
      const kind = input.kind ?? (input.command ? 'command' : 'python');
      stage = {
        name: input.name,
        kind,
        ...(input.script ? { script: input.script } : {}),
        ...(input.command ? { command: input.command } : {}),
        args: [],
        inputs: input.inputs ?? previous.flatMap((s) => s.outputs.slice(0, 1)),
        outputs: input.outputs ?? [],
        params: input.params,
        ...(input.needs ? { needs: input.needs } : {}),
      };
    }
    const before = readFileSync(pipelinePath, 'utf8');
    await file.putStage(project.dir, name, stage, input.force);
    // The edited file must still load: a bad path or need is reported now, and the file is put back.
    let after;
    try {
      after = await loadPipeline(project.dir, pipelinePath, ctx.workspace.display(pipelinePath));
    } catch (error) {
      file.writeAtomic(pipelinePath, before);
      throw error;
    }
    return {
      pipeline: name,
      stage: stage.name,
      kind: stage.kind,
      ...(stage.script ? { script: stage.script } : {}),
      inputs: stage.inputs,
      outputs: stage.outputs,
      ...(Object.keys(stage.params).length ? { params: stage.params } : {}),
      stages: after.spec.stages.length,
    };
  },
});

/** A stage after one that names a target reads the same target unless told otherwise. */
function inheritedTarget(previous: readonly StageSpec[]): Record<string, unknown> {
  const target = previous.map((stage) => stage.params.target).find((value) => typeof value === 'string');
  return target ? { target } : {};
}
