/**
 * `datastack experiment reproduce RUN`: the run's commit in a clean worktree, its data version
 * restored there, its overrides re-applied, the training re-run in the project's environment
 * under a new run tagged `datastack.reproduces`, and each metric compared with the recorded one.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  run: z.string().min(1).describe('MLflow run id to reproduce (made by `experiment run`)'),
  project: z.string().default('.').describe('Project folder (its git repository, .venv and DVC cache)'),
  tolerance: z.number().nonnegative().default(1e-6).describe('Largest absolute difference that still counts as a match'),
  keep: z.boolean().default(false).describe('Keep the worktree ($TMPDIR/datastack-reproduce/<run>) afterwards'),
  allow_dirty: z
    .boolean()
    .default(false)
    .describe('Reproduce a run made from a dirty tree anyway, from its commit (its uncommitted changes are lost)'),
});

const MetricCheck = z.object({
  metric: z.string().describe('Metric'),
  recorded: z.number().describe('Value of the original run'),
  reproduced: z.number().optional().describe('Value of the reproduction (absent: not produced)'),
  delta: z.number().optional().describe('reproduced - recorded'),
  match: z.boolean().describe('Within the tolerance'),
});

const Output = z.object({
  reproduces: z.string().describe('The original run'),
  run_id: z.string().describe('The reproduction run (tagged datastack.reproduces)'),
  commit: z.string().describe('Commit the code was checked out at'),
  data: z.array(z.object({ path: z.string().describe('DVC output'), md5: z.string().describe('md5 restored and verified') })).describe('Data restored'),
  matched: z.boolean().describe('Every recorded metric reproduced within the tolerance'),
  tolerance: z.number().describe('Tolerance used'),
  metrics: z.array(MetricCheck).describe('Per-metric result'),
  env_lock_matches: z.boolean().optional().describe('The environment lock hashes the same as when the run was made'),
  worktree: z.string().optional().describe('The kept worktree (with --keep)'),
  log_file: z.string().describe('Training log of the reproduction'),
  warnings: z.array(z.string()).optional().describe('Things worth a look'),
});

type ReproduceInput = z.infer<typeof Input>;
type ReproduceOutput = z.infer<typeof Output>;

export const experimentReproduce = defineTool({
  name: 'experiment_reproduce',
  title: 'Reproduce a run',
  description:
    "Re-runs an experiment run from its recorded git commit (clean worktree) and DVC data version with its --set overrides, in the project's environment, logs it as a new run tagged datastack.reproduces, and reports per metric whether it matches within the tolerance.",
  toolset: 'experiment',
  action: 'reproduce',
  positional: ['run'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  toText: (o) =>
    [
      `Reproduction ${o.run_id} of run ${o.reproduces} at ${o.commit.slice(0, 12)}: ${o.matched ? 'MATCH' : 'MISMATCH'} (tolerance ${o.tolerance})`,
      ...o.metrics.map((m) => `  ${m.metric}: recorded ${m.recorded}, reproduced ${m.reproduced ?? 'missing'}${m.match ? '' : ' ✗'}`),
      ...(o.warnings ?? []).map((w) => `warning: ${w}`),
    ].join('\n'),
  run: reproduceRun,
});

async function reproduceRun(input: ReproduceInput, ctx: ToolContext): Promise<ReproduceOutput> {
  const [{ resolveProject }, { mlflowClient }, { toRecord, latestMetrics }, provenance, checkout] = await Promise.all([
    import('../env/project-env.js'),
    import('../mlflow/connect.js'),
    import('../mlflow/model.js'),
    import('./provenance.js'),
    import('./reproduce-checkout.js'),
  ]);
  const { TAG } = provenance;
  const project = resolveProject(ctx, input.project);
  const { projectPython } = await import('./training-command.js');
  projectPython(project.dir, project.display);

  const client = await mlflowClient(ctx);
  const original = await client.getRun(input.run, ctx.signal);
  const tags = toRecord(original.data.tags);
  const commit = tags[TAG.commit];
  if (!commit) {
    throw new ToolError('invalid_input', `Run ${input.run} records no git commit: it was not made by \`datastack experiment run\` in a git repository`, {
      hint: 'Only runs with provenance tags can be reproduced',
    });
  }
  if (tags[TAG.dirty] === 'true' && !input.allow_dirty) {
    throw new ToolError('conflict', `Run ${input.run} was made from a dirty working tree: the code it ran is not in commit ${commit.slice(0, 12)} and cannot be recovered`, {
      hint: 'Pass --allow-dirty to re-run it from that commit anyway (without the uncommitted changes)',
    });
  }
  const recordedMetrics = latestMetrics(original);
  if (Object.keys(recordedMetrics).length === 0) {
    throw new ToolError('invalid_input', `Run ${input.run} has no metrics to compare with (status ${original.info.status})`, {
      hint: 'Reproduce a FINISHED run',
    });
  }
  await checkout.assertCommitExists(project.dir, commit, input.run);

  // Outside the project on purpose: DVC treats a worktree under the project's git-ignored
  // .datastack/ as ignored and silently checks out nothing there.
  const worktree = join(tmpdir(), 'datastack-reproduce', input.run);
  await checkout.addWorktree(project.dir, worktree, commit);
  try {
    const data = await checkout.restoreData(project.dir, worktree, provenance.recordedData(tags), input.run, ctx);
    const config = await import('./experiment-config.js');
    const configPath = tags[TAG.config] ?? 'configs/experiment.yaml';
    const overrides = parseOverrides(tags[TAG.overrides]);
    const effective = await config.applyOverrides(
      await config.loadExperimentConfig(join(worktree, configPath), `${configPath} at ${commit.slice(0, 12)}`),
      overrides,
    );
    const [{ trainUnderRun }, { runtimeFor }] = await Promise.all([import('./tracked-training.js'), import('../stack/runtime.js')]);
    const result = await trainUnderRun(
      {
        client,
        trackingUri: client.base,
        experimentId: original.info.experiment_id,
        runName: `reproduce-${original.info.run_name ?? input.run.slice(0, 8)}`,
        projectDir: project.dir,
        codeDir: worktree,
        config: effective,
        configPath,
        overrides,
        command: `datastack experiment reproduce ${input.run}`,
        extraTags: { [TAG.reproduces]: input.run },
        baseEnv: runtimeFor(ctx).env,
      },
      ctx,
    );
    const metrics = Object.entries(recordedMetrics).map(([metric, recorded]) => {
      const reproduced = result.metrics[metric];
      if (reproduced === undefined) return { metric, recorded, match: false };
      const delta = reproduced - recorded;
      return { metric, recorded, reproduced, delta: Number(delta.toPrecision(12)), match: Math.abs(delta) <= input.tolerance };
    });
    const matched = metrics.every((m) => m.match);
    await client.logBatch(result.run.info.run_id, { tags: { 'datastack.reproduction.match': String(matched) } });

    const warnings: string[] = [];
    const recordedLock = tags[TAG.envLock];
    const envMatches = recordedLock ? recordedLock === result.envLock : undefined;
    if (envMatches === false) {
      warnings.push('The environment differs from the one the run was made in (its lock hash changed): a mismatch may come from package versions');
    }
    return {
      reproduces: input.run,
      run_id: result.run.info.run_id,
      commit,
      data: data.map(({ path, md5 }) => ({ path, md5 })),
      matched,
      tolerance: input.tolerance,
      metrics,
      ...(envMatches === undefined ? {} : { env_lock_matches: envMatches }),
      ...(input.keep ? { worktree: ctx.workspace.display(worktree) } : {}),
      log_file: ctx.workspace.display(result.logFile),
      ...(warnings.length ? { warnings } : {}),
    };
  } finally {
    if (!input.keep) await checkout.removeWorktree(project.dir, worktree);
  }
}

function parseOverrides(tag: string | undefined): string[] {
  if (!tag) return [];
  try {
    const parsed = JSON.parse(tag) as unknown;
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    throw new ToolError('invalid_input', `The run's datastack.overrides tag is not a JSON list: ${tag}`);
  }
}
