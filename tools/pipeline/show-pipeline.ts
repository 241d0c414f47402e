/** `datastack pipeline show [NAME]`: the stages, what they read and write, and how each last ran. */
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { upstreamOf } from './model.js';
import { StageView } from './schemas.js';

const Input = z.object({
  pipeline: z.string().optional().describe("Pipeline name (default: the project's only pipeline)"),
  project: z.string().default('.').describe('Project folder'),
});

const Output = z.object({
  pipeline: z.string().describe('Pipeline name'),
  description: z.string().optional().describe('What it is for'),
  file: z.string().describe('The pipeline file, relative to the workspace'),
  stages: z.array(StageView).describe('Stages in the order they run'),
});

export const pipelineShow = defineTool({
  name: 'pipeline_show',
  title: 'Show a pipeline',
  description:
    "Shows a project's pipeline: its stages in run order with kind, script or command, inputs, outputs, params, and the state of each stage's last run (succeeded, failed, skipped).",
  toolset: 'pipeline',
  positional: ['pipeline'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  toText: (out) =>
    [
      `Pipeline ${out.pipeline} (${out.file})${out.description ? `: ${out.description}` : ''}`,
      ...out.stages.map(
        (s, i) =>
          `${i + 1}. ${s.name} [${s.kind}] ${s.run}; reads ${s.inputs.join(', ') || '-'}; writes ${s.outputs.join(', ') || '-'}; last: ${s.last_status ?? 'never run'}${s.last_run ? ` (${s.last_run})` : ''}`,
      ),
    ].join('\n'),
  async run(input, ctx) {
    const [paths, { choosePipeline }, { loadPipeline }, { readState }] = await Promise.all([
      import('./paths.js'),
      import('./pipeline-file.js'),
      import('./load-pipeline.js'),
      import('./state.js'),
    ]);
    const project = paths.resolvePipelineProject(ctx, input.project);
    const name = choosePipeline(project.dir, project.display, input.pipeline);
    const file = join(project.dir, paths.pipelineFile(name));
    const loaded = await loadPipeline(project.dir, file, ctx.workspace.display(file));
    const state = readState(paths.stateFile(project.dir, name));
    const index = new Map(loaded.spec.stages.map((stage, i) => [stage.name, i]));
    return {
      pipeline: name,
      ...(loaded.spec.description ? { description: loaded.spec.description } : {}),
      file: loaded.display,
      stages: loaded.order.map((stage) => {
        const record = state.stages[stage.name];
        return {
          name: stage.name,
          kind: stage.kind,
          run: stage.command ?? stage.script ?? `-m ${stage.module ?? ''}`,
          inputs: stage.inputs,
          outputs: stage.outputs,
          ...(Object.keys(stage.params).length ? { params: stage.params } : {}),
          needs: upstreamOf(loaded.spec, index.get(stage.name) ?? 0),
          ...(stage.template ? { template: stage.template } : {}),
          ...(record
            ? {
                last_status: record.status,
                last_run: `${record.finished_at} on ${record.environment}, run ${record.run_id}`,
              }
            : {}),
        };
      }),
    };
  },
});
