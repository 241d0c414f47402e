/**
 * What a pipeline file (`pipelines/NAME.yaml` in a project) holds, defined once with zod. Paths
 * are relative to the project folder. The loader (load-pipeline.ts) adds what zod cannot check:
 * where each input comes from, unknown `needs`, cycles, each with the file's line number.
 */
import { z } from 'zod';

export const STAGE_KINDS = ['python', 'command', 'notebook', 'spark', 'embulk'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Stage and pipeline names become file names, Airflow task ids and MLflow run names. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const StageName = z
  .string()
  .regex(NAME_PATTERN, 'lower-case letters, digits, - and _ (at most 63), starting with a letter or digit')
  .describe('Stage name, unique in the pipeline: preprocessing, features, train');
export const PipelineName = z
  .string()
  .regex(NAME_PATTERN, 'lower-case letters, digits, - and _ (at most 63), starting with a letter or digit')
  .describe('Pipeline name: the file is pipelines/NAME.yaml in the project');

export const Params = z
  .record(z.string(), z.unknown())
  .default({})
  .describe('Values the stage reads (JSON in DATASTACK_STAGE_PARAMS); a change reruns the stage');

export const StageSpec = z
  .object({
    name: StageName,
    kind: z
      .enum(STAGE_KINDS)
      .describe(
        'python (script or module), command (shell), notebook, spark (PySpark file), embulk (config)',
      ),
    description: z.string().optional().describe('What the stage does'),
    script: z
      .string()
      .optional()
      .describe('python: the script; notebook: the .ipynb; spark: the PySpark file; embulk: the config'),
    module: z.string().optional().describe('python: a module run with `python -m` instead of a script'),
    command: z
      .string()
      .optional()
      .describe('command: the shell command line (run with sh -c in the project folder)'),
    args: z.array(z.string()).default([]).describe('Extra arguments for the script, module or Spark job'),
    inputs: z
      .array(z.string())
      .default([])
      .describe('Files or folders the stage reads, relative to the project'),
    outputs: z
      .array(z.string())
      .default([])
      .describe('Files or folders the stage writes, relative to the project'),
    params: Params,
    needs: z
      .array(z.string())
      .optional()
      .describe('Stages that must finish first (default: the previous stage)'),
    template: z
      .string()
      .optional()
      .describe('Stage template the script was written from (data-cleaning, train, ...)'),
  })
  .strict();
export type StageSpec = z.infer<typeof StageSpec>;

export const PipelineSpec = z
  .object({
    name: PipelineName,
    description: z.string().optional().describe('What the pipeline is for'),
    stages: z.array(StageSpec).default([]).describe('Stages, in the order they run'),
  })
  .strict();
export type PipelineSpec = z.infer<typeof PipelineSpec>;

/** Which file a kind's `script` names, for the messages that ask for one. */
export const SCRIPT_WORD: Record<StageKind, string> = {
  python: 'a script (or module)',
  command: 'a command',
  notebook: 'a notebook (.ipynb)',
  spark: 'a PySpark file',
  embulk: 'an Embulk config',
};

/** The stage's predecessors: its `needs`, else the stage before it. */
export function upstreamOf(pipeline: PipelineSpec, index: number): string[] {
  const stage = pipeline.stages[index];
  if (!stage) return [];
  if (stage.needs) return stage.needs;
  const previous = pipeline.stages[index - 1];
  return previous ? [previous.name] : [];
}
