/** `datastack pipeline create --name NAME`: an empty pipeline file in the project. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { PipelineName } from './model.js';

const Input = z.object({
  name: PipelineName,
  description: z.string().optional().describe('What the pipeline is for'),
  project: z.string().default('.').describe('Project folder; the file is its pipelines/NAME.yaml'),
  force: z.boolean().default(false).describe('Overwrite an existing pipeline file (its stages are lost)'),
});

const Output = z.object({
  pipeline: z.string().describe('Pipeline name'),
  file: z.string().describe('The pipeline file, relative to the workspace'),
  replaced: z.boolean().describe('An existing file was overwritten (--force)'),
});

export const pipelineCreate = defineTool({
  name: 'pipeline_create',
  title: 'Create a pipeline',
  description:
    'Writes an empty pipeline file pipelines/NAME.yaml in the project; add stages with pipeline_add_stage (templates or algorithms) or write them in the file. Refuses an existing file without force.',
  toolset: 'pipeline',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  toText: (out) =>
    `${out.replaced ? 'Replaced' : 'Created'} ${out.file}: add stages with \`datastack pipeline add-stage --pipeline ${out.pipeline} --name NAME --template data-cleaning\``,
  async run(input, ctx) {
    const [{ resolvePipelineProject, pipelineFile }, { newPipelineText, writeAtomic }] = await Promise.all([
      import('./paths.js'),
      import('./pipeline-file.js'),
    ]);
    const project = resolvePipelineProject(ctx, input.project);
    const file = join(project.dir, pipelineFile(input.name));
    const exists = existsSync(file);
    if (exists && !input.force) {
      throw new ToolError('conflict', `${ctx.workspace.display(file)} already exists`, {
        hint: 'Pick another --name, add stages to it with `pipeline add-stage`, or pass --force to start it over',
      });
    }
    writeAtomic(file, await newPipelineText(input.name, input.description));
    return { pipeline: input.name, file: ctx.workspace.display(file), replaced: exists };
  },
});
