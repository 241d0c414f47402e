// `datastack pipeline run --environment local --force` on ten short stages vs the same ten commands
// in a shell script, interleaved, medians. Goal (issue 6): overhead per stage ≤ 1.1x. Each stage
// is a Python script that reads the previous stage's file and writes its own, run by the same
// interpreter both ways (the project's .venv/bin/python links to it, as a real project's would).
// Two figures: the whole run (which includes the CLI's fixed start-up, ~150 ms, once per run), and
// the cost of one more stage: the slope between a 10- and a 20-stage pipeline, ours over the
// shell's, which is the per-stage overhead with the fixed start-up taken out.
// BENCH_PIPELINE_QUICK=1 runs 5 rounds instead of BENCH_RUNS (default 10).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, report, timeCommand } from './measure.mjs';

const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const STAGES = 10;

function makeProject(STAGES) {
  const dir = mkdtempSync(join(tmpdir(), 'datastack-bench-pipeline-'));
  // The interpreter itself, not a pyenv shim (a shell script that would dwarf both sides).
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
  mkdirSync(join(dir, '.venv/bin'), { recursive: true });
  symlinkSync(python, join(dir, '.venv/bin/python'));
  mkdirSync(join(dir, 'stages'));
  writeFileSync(join(dir, 'datastack.yaml'), 'profile: local\n');
  writeFileSync(join(dir, 'data.txt'), 'start\n');
  const stages = [];
  const shell = ['#!/bin/sh', 'set -e', `cd '${dir}'`, 'mkdir -p out'];
  for (let i = 0; i < STAGES; i++) {
    const input = i === 0 ? 'data.txt' : `out/s${i - 1}.txt`;
    const output = `out/s${i}.txt`;
    writeFileSync(
      join(dir, `stages/s${i}.py`),
      `text = open(${JSON.stringify(input)}).read()\nopen(${JSON.stringify(output)}, "w").write(text + "stage ${i}\\n")\n`,
    );
    stages.push({
      name: `s${i}`,
      kind: 'python',
      script: `stages/s${i}.py`,
      inputs: [input],
      outputs: [output],
    });
    shell.push(`.venv/bin/python stages/s${i}.py`);
  }
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines/bench.yaml'), JSON.stringify({ name: 'bench', stages }, null, 1));
  writeFileSync(join(dir, 'direct.sh'), `${shell.join('\n')}\n`);
  return dir;
}

export async function pipelineOverhead() {
  const dir = makeProject(STAGES);
  const long = makeProject(2 * STAGES);
  const runs = process.env.BENCH_PIPELINE_QUICK === '1' ? 5 : Number(process.env.BENCH_RUNS ?? 10);
  const envOf = (home) => ({ ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') });
  const env = envOf(dir);
  try {
    const medians = await compare(
      {
        'ten stages in a shell script': () => timeCommand('sh', [join(dir, 'direct.sh')], { env }),
        'datastack pipeline run --force': () =>
          timeCommand(process.execPath, [bin, 'pipeline', 'run', 'bench', '--force'], { cwd: dir, env }),
        'datastack pipeline run (all skipped)': () =>
          timeCommand(process.execPath, [bin, 'pipeline', 'run', 'bench'], { cwd: dir, env }),
        'twenty stages in a shell script': () =>
          timeCommand('sh', [join(long, 'direct.sh')], { env: envOf(long) }),
        'datastack pipeline run --force, twenty stages': () =>
          timeCommand(process.execPath, [bin, 'pipeline', 'run', 'bench', '--force'], {
            cwd: long,
            env: envOf(long),
          }),
      },
      { runs },
    );
    const ratios = report(
      `Pipeline overhead: ${STAGES} stages (median wall time)`,
      medians,
      'ten stages in a shell script',
      {},
    );
    const perStage =
      (medians['datastack pipeline run --force'] - medians['ten stages in a shell script']) / STAGES;
    console.log(`  added per stage (CLI start-up included): ${perStage.toFixed(1)} ms`);
    // The all-skipped run is start-up, loading and hashing: what is left is the runner's cost per stage.
    const runner =
      (medians['datastack pipeline run --force'] -
        medians['datastack pipeline run (all skipped)'] -
        medians['ten stages in a shell script']) /
      STAGES;
    console.log(`  runner per stage beyond start-up (force − skipped − shell): ${runner.toFixed(1)} ms`);
    const shellSlope =
      (medians['twenty stages in a shell script'] - medians['ten stages in a shell script']) / STAGES;
    const oursSlope =
      (medians['datastack pipeline run --force, twenty stages'] - medians['datastack pipeline run --force']) /
      STAGES;
    const perStageRatio = oursSlope / shellSlope;
    console.log(
      `  one more stage: ${oursSlope.toFixed(1)} ms vs ${shellSlope.toFixed(1)} ms in the shell: ` +
        `${perStageRatio.toFixed(2)}x ${perStageRatio <= 1.1 ? '✓' : '✗'} goal ≤ 1.1x (overhead per stage)`,
    );
    return { ...ratios, perStage: perStageRatio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(long, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await pipelineOverhead();
