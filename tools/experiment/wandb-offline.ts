/**
 * `--track-wandb`: the same run written as a Weights & Biases run in offline mode (no account, no
 * network): a `wandb/offline-run-…` folder in the project, which `wandb sync` uploads later. wandb lives
 * in a venv of its own, so its pins never touch the project's environment.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { runTraining } from './training-process.js';

export const WANDB_SPEC = 'wandb==0.31.0';

/** Written next to the run's files and run by the wandb venv's Python; its input is a JSON file. */
const HELPER = `"""Writes one offline W&B run from DataStack's run: params as config, metrics logged and as summary."""
import json, os, sys

import wandb
import yaml

spec = json.load(open(sys.argv[1], encoding="utf-8"))
run = wandb.init(mode="offline", project=spec["project"], name=spec["name"], config=spec["params"],
                 dir=spec["dir"], tags=spec.get("tags") or None, notes=spec.get("notes"))
run.log(spec["metrics"])
run.summary.update(spec["metrics"])
files = run.dir
run.finish()
# wandb-core keeps an offline run's summary and config only in its .wandb log (wandb/wandb#9646):
# write the files an online run has, unless this wandb version already did.
summary = os.path.join(files, "wandb-summary.json")
if not os.path.exists(summary):
    with open(summary, "w", encoding="utf-8") as f:
        json.dump(spec["metrics"], f)
config = os.path.join(files, "config.yaml")
if not os.path.exists(config):
    with open(config, "w", encoding="utf-8") as f:
        yaml.safe_dump({key: {"value": value} for key, value in spec["params"].items()}, f)
print("DATASTACK_WANDB_RUN=" + os.path.dirname(files))
`;

export interface WandbRunSpec {
  project: string;
  name: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  /** The project folder: wandb writes `<dir>/wandb/offline-run-*`. */
  dir: string;
  /** The run's folder: helper script, its input and log. */
  runDir: string;
  notes?: string;
  tags?: string[];
}

/** Returns the offline run's folder. */
export async function writeWandbOfflineRun(
  spec: WandbRunSpec,
  ctx: ToolContext,
  baseEnv: NodeJS.ProcessEnv,
): Promise<string> {
  const { ensurePythonPackages } = await import('../stack/python.js');
  const env = await ensurePythonPackages([WANDB_SPEC], {
    venv: 'wandb',
    env: baseEnv,
    progress: ctx.progress,
    log: ctx.log,
    signal: ctx.signal,
  });
  const script = join(spec.runDir, 'wandb_offline.py');
  const input = join(spec.runDir, 'wandb-run.json');
  writeFileSync(script, HELPER);
  const { runDir: _runDir, ...payload } = spec;
  writeFileSync(input, JSON.stringify(payload, null, 1));
  const before = new Set(offlineRuns(spec.dir));
  let reported: string | undefined;
  const outcome = await runTraining({
    command: env.python,
    args: [script, input],
    cwd: spec.dir,
    env: {
      ...baseEnv,
      WANDB_MODE: 'offline',
      WANDB_SILENT: 'true',
      WANDB_DISABLE_GIT: 'true',
      // Keeps wandb's settings and cache out of the user's home.
      WANDB_CONFIG_DIR: join(spec.runDir, 'wandb-config'),
      WANDB_CACHE_DIR: join(spec.runDir, 'wandb-cache'),
    },
    logFile: join(spec.runDir, 'wandb.log'),
    signal: ctx.signal,
    progress: (update) => {
      const match = /^DATASTACK_WANDB_RUN=(.+)$/.exec(update.message ?? '');
      if (match) reported = match[1];
      else ctx.progress({ ...update, message: `wandb: ${update.message ?? ''}` });
    },
  });
  if (outcome.aborted) throw new ToolError('aborted', 'Cancelled while writing the W&B run');
  const created = offlineRuns(spec.dir).filter((name) => !before.has(name));
  if (outcome.code !== 0 || (!reported && created.length === 0)) {
    throw new ToolError('unavailable', `wandb could not write the offline run:\n${outcome.tail.slice(-10).join('\n')}`, {
      hint: `The MLflow run is complete; see ${ctx.workspace.display(join(spec.runDir, 'wandb.log'))}`,
    });
  }
  return reported ?? join(spec.dir, 'wandb', created.at(-1) as string);
}

function offlineRuns(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'wandb')).filter((name) => name.startsWith('offline-run-')).sort();
  } catch {
    return [];
  }
}
