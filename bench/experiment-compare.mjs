// `datastack experiment compare` over an experiment of 1,000 runs against the MLflow Python client
// doing the same search and table, interleaved, both against the same local tracking server
// (started by `datastack stack up mlflow` in a scratch project, or reused when one answers on the
// port). Ours is the built CLI as a user runs it (`--json`); the peer is `mlflow.search_runs` in
// the server's own venv, then the differing params and the metrics with the best run marked,
// printed. Goal: ours ≤ 1x the Python client's time.
// BENCH_MLFLOW_RUNS_IN_EXPERIMENT (default 1000) sizes the experiment; BENCH_MLFLOW_ROUNDS the
// interleaved rounds (default 5, after one warm-up); BENCH_MLFLOW_PORT the server's port (default
// 19053: not a test service port); BENCH_MLFLOW_QUICK=1 (CI) uses 200 runs and 2 rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';

const MIB = 1024 * 1024;
const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const clientModule = new URL('../dist/tools/mlflow/client.js', import.meta.url).href;
const quick = process.env.BENCH_MLFLOW_QUICK === '1';
const runCount = Number(process.env.BENCH_MLFLOW_RUNS_IN_EXPERIMENT ?? (quick ? 200 : 1000));
const rounds = Number(process.env.BENCH_MLFLOW_ROUNDS ?? (quick ? 2 : 5));
const port = Number(process.env.BENCH_MLFLOW_PORT ?? 19053);
const GOAL = 1;

const PYTHON_SCRIPT = `import sys
import mlflow
uri, name, n, metric = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
mlflow.set_tracking_uri(uri)
df = mlflow.search_runs(experiment_names=[name], max_results=n, order_by=["attributes.start_time DESC"])
params = [c for c in df.columns if c.startswith("params.")]
differing = [c for c in params if df[c].nunique(dropna=False) > 1]
metrics = [c for c in df.columns if c.startswith("metrics.")]
key = "metrics." + metric
if key not in df.columns:
    sys.exit("no run has " + metric + "; metrics: " + ", ".join(metrics))
lower = any(w in metric.lower() for w in ("loss", "error", "rmse", "mse", "mae"))
table = df[["run_id", "tags.mlflow.runName"] + metrics + differing].copy()
table = table.sort_values(key, ascending=lower, na_position="last")
table.insert(2, "best", [i == 0 for i in range(len(table))])
print(f"{len(table)} runs; best {table.iloc[0]['run_id']} {metric}={table.iloc[0][key]}")
print(table.to_string())
`;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * MIB, ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout || '').slice(-800)}`,
    );
  }
  return result.stdout;
}

function timed(command, args, options) {
  const start = performance.now();
  const stdout = run(command, args, options);
  return { ms: performance.now() - start, stdout };
}

/** `runCount` finished runs with 10 params (3 that vary), 5 metrics and provenance-like tags, logged 16 at a time. */
async function seed(url, experiment) {
  const { MlflowClient } = await import(clientModule);
  const client = new MlflowClient({ url, timeoutMs: 120_000 });
  const existing = await client.getExperimentByName(experiment);
  if (existing) {
    const { runs } = await client.searchRuns({ experimentIds: [existing.experiment_id], limit: runCount });
    if (runs.length === runCount) return;
    throw new Error(
      `Experiment ${experiment} exists with ${runs.length} runs: delete it or use another BENCH_MLFLOW_PORT`,
    );
  }
  const id = await client.ensureExperiment(experiment);
  let next = 0;
  const worker = async () => {
    while (next < runCount) {
      const i = next++;
      const r = await client.createRun(id, {
        name: `trial-${i}`,
        tags: {
          'mlflow.source.git.commit': `${(i % 7).toString(16).padStart(40, 'a')}`,
          'datastack.git.dirty': 'false',
          'datastack.data.data/raw/train.csv': 'd41d8cd98f00b204e9800998ecf8427e',
          'datastack.env.lock': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'datastack.version': '0.1.0',
        },
      });
      const u = (salt) => ((i * 2654435761 + salt * 40503) % 10007) / 10007;
      await client.logBatch(r.info.run_id, {
        params: {
          model: i % 2 ? 'random_forest' : 'logistic_regression',
          lr: String([0.1, 0.03, 0.01, 0.003][i % 4]),
          max_depth: String(3 + (i % 9)),
          seed: '42',
          test_size: '0.2',
          dataset: 'data/raw/train.csv',
          target: 'churn',
          n_estimators: '200',
          class_weight: 'balanced',
          scaler: 'standard',
        },
        metrics: ['accuracy', 'f1', 'roc_auc', 'precision', 'log_loss'].map((key, k) => ({
          key,
          value: key === 'log_loss' ? 0.2 + u(k) * 0.5 : 0.7 + u(k) * 0.25,
          timestamp: Date.now(),
          step: 0,
        })),
      });
      await client.setRunStatus(r.info.run_id, 'FINISHED');
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

export async function experimentCompare() {
  if (!existsSync(bin)) throw new Error('dist/agent/bin.js is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'datastack-bench-mlflow-'));
  writeFileSync(
    join(dir, 'datastack.yaml'),
    `profile: local\nprofiles:\n  local:\n    stack:\n      ports:\n        mlflow: ${port}\n`,
  );
  writeFileSync(join(dir, 'compare_runs.py'), PYTHON_SCRIPT);
  const cli = (args) => run(process.execPath, [bin, ...args], { cwd: dir });
  let started = false;
  try {
    const up = JSON.parse(cli(['stack', 'up', 'mlflow', '--json']));
    started = up.services?.some((s) => s.name === 'mlflow' && s.state === 'started');
    const url = `http://127.0.0.1:${port}`;
    const experiment = `bench-compare-${runCount}`;
    const seeding = performance.now();
    await seed(url, experiment);
    console.error(`(${runCount} runs ready in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`);

    const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'datastack');
    const python = join(cacheDir, 'venv-mlflow', 'bin', 'python');
    const cases = {
      [`datastack experiment compare --runs ${runCount} --json`]: () =>
        timed(
          process.execPath,
          [
            bin,
            '--profile',
            'stack',
            '--json',
            'experiment',
            'compare',
            '--experiment',
            experiment,
            '--runs',
            String(runCount),
            '--metric',
            'accuracy',
          ],
          { cwd: dir },
        ),
      'mlflow.search_runs + pandas table (Python)': () =>
        timed(python, ['compare_runs.py', url, experiment, String(runCount), 'accuracy'], {
          cwd: dir,
          env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
        }),
    };
    const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    const bests = {};
    for (let round = 0; round < rounds + 1; round++) {
      for (const [name, once] of Object.entries(cases)) {
        const { ms, stdout } = once();
        if (round > 0) samples[name].push(ms);
        else bests[name] = stdout;
      }
    }
    // Both must have found the same best run, or the race is not the same race.
    const [ours, peer] = Object.keys(cases);
    const ourBest = JSON.parse(bests[ours]).best?.run_id;
    if (!bests[peer].includes(`best ${ourBest} `))
      throw new Error(`Best runs differ: ours ${ourBest}; Python: ${bests[peer].split('\n')[0]}`);

    const ratio = median(samples[ours]) / median(samples[peer]);
    console.log(
      `\nexperiment compare over ${runCount} runs, MLflow at ${url} (median of ${rounds}, interleaved)`,
    );
    for (const name of Object.keys(cases)) {
      console.log(
        `  ${name.padEnd(52)} ${Math.round(median(samples[name])).toLocaleString('en-US').padStart(7)} ms`,
      );
    }
    console.log(`  ours / Python client: ${ratio.toFixed(2)}x ${ratio <= GOAL ? '✓' : '✗'} goal ≤ ${GOAL}x`);
    return { ratio, oursMs: median(samples[ours]), pythonMs: median(samples[peer]) };
  } finally {
    try {
      if (started) cli(['stack', 'down', 'mlflow', '--yes']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await experimentCompare();
