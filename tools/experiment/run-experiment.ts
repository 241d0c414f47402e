/** `datastack experiment run`: the project's training under an MLflow run with full provenance. */
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { runSummary, RunSummary, summarise } from './run-summary.js';

const Input = z.object({
  project: z.string().default('.').describe('Project folder (holds datastack.yaml, .venv and the config)'),
  config: z
    .string()
    .default('configs/experiment.yaml')
    .describe('Experiment config the training reads, relative to the project'),
  set: z
    .array(z.string())
    .default([])
    .describe('Overrides of config values, key.path=value (model.type=random_forest); applied to a copy'),
  name: z.string().optional().describe('Run name (default: MLflow picks one)'),
  track_wandb: z.boolean().default(false).describe('Also write a Weights & Biases run in offline mode (wandb/ in the project)'),
  compare_with: z
    .string()
    .optional()
    .describe('Baseline to compare with: a registered-model alias (production) or a run id'),
});

const Output = RunSummary.extend({
  wandb_run: z.string().optional().describe('Offline W&B run folder (`wandb sync` uploads it)'),
});

type RunInput = z.infer<typeof Input>;
type RunOutput = z.infer<typeof Output>;

export const experimentRun = defineTool({
  name: 'experiment_run',
  title: 'Run an experiment',
  description:
    "Runs the project's training in its .venv under a new MLflow run: params from the config (with --set overrides), provenance tags (git commit and dirty flag, DVC data md5s, Nessie ref, environment lock hash), metrics and artifacts; optional offline W&B run and comparison with a baseline (production alias or run id).",
  toolset: 'experiment',
  action: 'run',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  toText: (output) => summarise(output),
  run: runExperiment,
});

async function runExperiment(input: RunInput, ctx: ToolContext): Promise<RunOutput> {
  const [{ resolveProject }, { mlflowClient }, config, { runtimeFor }] = await Promise.all([
    import('../env/project-env.js'),
    import('../mlflow/connect.js'),
    import('./experiment-config.js'),
    import('../stack/runtime.js'),
  ]);
  const project = resolveProject(ctx, input.project);
  // No environment, no run: said before anything is created on the server.
  const { projectPython } = await import('./training-command.js');
  projectPython(project.dir, project.display);
  const configFile = ctx.workspace.resolve(`${project.display}/${input.config}`);
  const original = await config.loadExperimentConfig(configFile, ctx.workspace.display(configFile));
  const effective = await config.applyOverrides(original, input.set);
  const experiment = config.experimentName(effective, ctx.config.mlflow?.experiment);

  const client = await mlflowClient(ctx);
  // A wrong baseline fails now, before minutes of training.
  const { resolveBaseline, compareMetrics } = await import('./baseline.js');
  const baseline = input.compare_with
    ? await resolveBaseline(client, input.compare_with, config.registeredModelName(effective, experiment), ctx.signal)
    : undefined;
  const experimentId = await client.ensureExperiment(experiment, ctx.signal);

  const { trainUnderRun } = await import('./tracked-training.js');
  const baseEnv = runtimeFor(ctx).env;
  const result = await trainUnderRun(
    {
      client,
      trackingUri: client.base,
      experimentId,
      runName: input.name,
      projectDir: project.dir,
      codeDir: project.dir,
      config: effective,
      configPath: input.config,
      overrides: input.set,
      command: commandLine(input),
      baseEnv,
    },
    ctx,
  );

  const warnings: string[] = [];
  if (result.git?.dirty) {
    warnings.push(
      `The working tree had uncommitted changes (${result.git.changed.slice(0, 5).join(', ')}): this run cannot be reproduced from its commit`,
    );
  }
  if (!result.git) warnings.push('The project is not a git repository: no commit recorded, so no reproduction');

  let wandbRun: string | undefined;
  if (input.track_wandb) {
    const { writeWandbOfflineRun } = await import('./wandb-offline.js');
    try {
      wandbRun = await writeWandbOfflineRun(
        {
          project: experiment,
          name: result.run.info.run_name ?? result.run.info.run_id,
          params: config.flattenParams(effective),
          metrics: result.metrics,
          dir: project.dir,
          runDir: result.runDir,
          notes: `MLflow run ${result.run.info.run_id} at ${client.base}`,
          ...(result.git ? { tags: [`git:${result.git.commit.slice(0, 12)}`] } : {}),
        },
        ctx,
        baseEnv,
      );
    } catch (error) {
      if (error instanceof ToolError && error.code === 'aborted') throw error;
      // The MLflow run is complete and stays so; the missing W&B copy is said, not fatal.
      warnings.push(`No W&B run: ${(error as Error).message}`);
    }
  }

  return {
    ...runSummary(result, { experiment, trackingUri: client.base, ctx }),
    ...(baseline
      ? { comparison: { baseline: baseline.label, metrics: compareMetrics(result.metrics, baseline.run) } }
      : {}),
    ...(wandbRun ? { wandb_run: ctx.workspace.display(wandbRun) } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

/** The command as a person would retype it, recorded as `datastack.command`. */
function commandLine(input: RunInput): string {
  const quote = (value: string) => (/^[\w./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);
  const words = ['datastack', 'experiment', 'run', '--config', input.config];
  for (const set of input.set) words.push('--set', set);
  if (input.name) words.push('--name', input.name);
  if (input.track_wandb) words.push('--track-wandb');
  if (input.compare_with) words.push('--compare-with', input.compare_with);
  return words.map(quote).join(' ');
}
