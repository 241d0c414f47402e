/**
 * The one command line a stage runs as, shared by the local runner (spawned directly) and the
 * Airflow DAG (the same words in a BashOperator), so both environments run the same thing.
 * Python stages use the project's .venv when it has one; notebook, Spark and Embulk stages go
 * through DataStack's own CLI, so the notebook runner and the Spark and Embulk engineers' code
 * (with the profile's lake settings) do the work.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageSpec } from './model.js';

export interface StageInvocation {
  command: string;
  args: string[];
  cwd: string;
  /** Variables the stage reads, on top of the inherited environment. */
  env: Record<string, string>;
}

export interface InvocationContext {
  projectDir: string;
  /** Config profile the CLI-run stages use (the caller's). */
  profile: string;
}

export function stageInvocation(stage: StageSpec, at: InvocationContext): StageInvocation {
  const env = {
    DATASTACK_STAGE: stage.name,
    DATASTACK_STAGE_INPUTS: JSON.stringify(stage.inputs),
    DATASTACK_STAGE_OUTPUTS: JSON.stringify(stage.outputs),
    DATASTACK_STAGE_PARAMS: JSON.stringify(stage.params),
  };
  const base = { cwd: at.projectDir, env };
  const file = (path: string) => join(at.projectDir, path);
  const cli = (...words: string[]) => ({
    ...base,
    command: process.execPath,
    args: [cliBin(), '--profile', at.profile, ...words],
  });
  switch (stage.kind) {
    case 'python':
      return {
        ...base,
        command: projectPython(at.projectDir),
        args: stage.script ? [file(stage.script), ...stage.args] : ['-m', stage.module ?? '', ...stage.args],
      };
    case 'command':
      return { ...base, command: 'sh', args: ['-c', stage.command ?? ''] };
    case 'notebook': {
      // notebook execute reports a failing cell as a result (`"ok": false`), with exit code 0:
      // the wrapper turns that into a failing stage, here and in Airflow alike.
      const run = cli('--json', 'notebook', 'execute', file(stage.script ?? ''));
      return { ...run, command: 'sh', args: ['-c', NOTEBOOK_CHECK, run.command, ...run.args] };
    }
    case 'spark':
      return cli(
        'spark',
        'submit',
        file(stage.script ?? ''),
        ...stage.args.flatMap((arg) => ['--args', arg]),
      );
    case 'embulk':
      // The Embulk toolset's run action (tools/embulk/); the config path is its positional.
      return cli('embulk', 'run', file(stage.script ?? ''));
  }
}

const NOTEBOOK_CHECK =
  'out=$("$0" "$@") || exit $?; printf "%s\\n" "$out"; ! printf "%s" "$out" | grep -q \'"ok": *false\'';

/** The .venv interpreter when the project has one, else python3 on the PATH. */
export function projectPython(projectDir: string): string {
  const venv = join(projectDir, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  return existsSync(venv) ? venv : 'python3';
}

/** The compiled CLI: beside this module in dist/, or dist/ of the repository when run from source. */
export function cliBin(): string {
  const candidates = [
    new URL('../../agent/bin.js', import.meta.url),
    new URL('../../dist/agent/bin.js', import.meta.url),
  ];
  const found = candidates
    .map((url) => fileURLToPath(url))
    .find((path) => path.endsWith('.js') && existsSync(path));
  return found ?? fileURLToPath(candidates[1] ?? candidates[0]!);
}

/** POSIX shell quoting, for the Airflow task and the log's first line. */
export function shellQuote(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** `cd DIR && NAME=value … command args`: what a BashOperator runs. */
export function shellLine(invocation: StageInvocation): string {
  const env = Object.entries(invocation.env).map(([key, value]) => `${key}=${shellQuote(value)}`);
  return [
    `cd ${shellQuote(invocation.cwd)} &&`,
    ...env,
    shellQuote(invocation.command),
    ...invocation.args.map(shellQuote),
  ].join(' ');
}
