/**
 * How a project trains: the command its datastack.yaml names (`project.train`, written by the
 * templates), run with the interpreter of the project's .venv and pointed at the effective config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { venvPython } from '../env/installer.js';
import { ENV_DIR } from '../env/project-env.js';

export interface TrainingCommand {
  command: string;
  args: string[];
  /** As a person would type it, for the log and the `datastack.command` tag. */
  display: string;
}

/** The .venv interpreter, or a clear error naming `datastack env setup`. */
export function projectPython(projectDir: string, display: string): string {
  const python = venvPython(join(projectDir, ENV_DIR));
  if (!existsSync(python)) {
    throw new ToolError('config', `${display} has no environment (.venv) to train in`, {
      hint: 'Create it first: `datastack env setup --auto` in the project (env_setup)',
    });
  }
  return python;
}

/**
 * `project.train` from datastack.yaml (first of `dirs` that has one), with `python` replaced by
 * the venv's interpreter and `--config X` by the effective config; else `python -m
 * <project.package>.train --config <config>`.
 */
export async function trainingCommand(
  dirs: readonly string[],
  python: string,
  configFile: string,
): Promise<TrainingCommand> {
  const { parse } = await import('yaml');
  let train: string | undefined;
  let pkg: string | undefined;
  for (const dir of dirs) {
    const file = join(dir, 'datastack.yaml');
    if (!existsSync(file)) continue;
    try {
      const doc = parse(readFileSync(file, 'utf8')) as { project?: { train?: unknown; package?: unknown } } | null;
      train ??= typeof doc?.project?.train === 'string' ? doc.project.train : undefined;
      pkg ??= typeof doc?.project?.package === 'string' ? doc.project.package : undefined;
    } catch {
      // A broken datastack.yaml is reported by config loading; here it only names no command.
    }
  }
  const words = train ? splitWords(train) : pkg ? ['python', '-m', `${pkg}.train`] : undefined;
  if (!words?.length) {
    throw new ToolError('config', 'The project does not say how it trains', {
      hint: 'Add `project: { train: "python -m PACKAGE.train --config configs/experiment.yaml" }` to its datastack.yaml',
    });
  }
  const args = words.slice(1);
  const at = args.indexOf('--config');
  if (at >= 0 && at + 1 < args.length) args[at + 1] = configFile;
  else if (at >= 0) args.push(configFile);
  else args.push('--config', configFile);
  const first = words[0] as string;
  const command = /^python(3(\.\d+)?)?$/.test(first) ? python : first;
  return { command, args, display: [first, ...args].join(' ') };
}

/** The training's environment: the venv first on PATH, the code's `src/` before the venv's copy. */
export function trainingEnv(
  base: NodeJS.ProcessEnv,
  projectDir: string,
  codeDir: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const venv = join(projectDir, ENV_DIR);
  const bin = join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
  // env setup puts the project's src/ on sys.path with a .pth file; PYTHONPATH comes first, so a
  // reproduction's worktree runs its own (older) code, not the working copy's.
  const pythonPath = [join(codeDir, 'src'), base.PYTHONPATH].filter(Boolean).join(delimiter);
  return {
    ...base,
    PATH: [bin, base.PATH].filter(Boolean).join(delimiter),
    VIRTUAL_ENV: venv,
    PYTHONPATH: pythonPath,
    PYTHONUNBUFFERED: '1',
    ...extra,
  };
}

/** Splits a command line on spaces, keeping quoted parts together (no shell expansion). */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}
