// `datastack pipeline run --environment local --force` on ten short stages vs the same ten commands
// in a shell script, interleaved, medians. Goal (issue 6): ≤ 1.1x. Each stage is a Python script
// that reads the previous stage's file and writes its own, run by the same interpreter both ways
// (the project's .venv/bin/python links to it, as a real project's environment would be).
// BENCH_PIPELINE_QUICK=1 runs 5 rounds instead of BENCH_RUNS (default 10).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, report, timeCommand } from './measure.mjs';

const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const STAGES = 10;

function makeProject() {
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
  const dir = makeProject();
  const runs = process.env.BENCH_PIPELINE_QUICK === '1' ? 5 : Number(process.env.BENCH_RUNS ?? 10);
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, '.config') };
  try {
    const medians = await compare(
      {
        'ten stages in a shell script': () => timeCommand('sh', [join(dir, 'direct.sh')], { env }),
        'datastack pipeline run --force': () =>
          timeCommand(process.execPath, [bin, 'pipeline', 'run', 'bench', '--force'], { cwd: dir, env }),
        'datastack pipeline run (all skipped)': () =>
          timeCommand(process.execPath, [bin, 'pipeline', 'run', 'bench'], { cwd: dir, env }),
      },
      { runs },
    );
    const ratios = report(
      `Pipeline overhead: ${STAGES} stages (median wall time)`,
      medians,
      'ten stages in a shell script',
      {
        'datastack pipeline run --force': 1.1,
      },
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
    return ratios;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await pipelineOverhead();
