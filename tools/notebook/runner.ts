/**
 * Executes a notebook headless with real Jupyter (nbclient and ipykernel) in the stack's shared
 * Python venv, installing the pinned notebook packages on first use, through the same code as
 * `datastack stack up`. One child process per notebook; its kernel runs in the notebook's folder.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { runChild } from '../iceberg/child.js';

/** What generated notebooks import, pinned (Python 3.11+); pyarrow reads Parquet. */
export const NOTEBOOK_PACKAGES = [
  'nbclient==0.11.0',
  'ipykernel==7.4.0',
  'nbformat==5.11.1',
  'pandas==3.1.1',
  'pyarrow==26.0.1',
  'matplotlib==3.11.2',
  'scikit-learn==1.9.1',
] as const;

export interface CellFailure {
  /** Index of the failing cell among all cells (0-based). */
  cell: number;
  ename: string;
  evalue: string;
  traceback: string;
  /** The start of the failing cell's code. */
  source: string;
}

export interface RunResult {
  /** Code cells in the notebook. */
  cells: number;
  /** Code cells that ran without an error. */
  executed: number;
  failure?: CellFailure;
  elapsedMs: number;
}

export interface RunOptions {
  /** Per-cell limit. */
  timeoutSeconds: number;
  /** Write the outputs into the notebook. */
  save: boolean;
}

export function ensureNotebookPython(ctx: ToolContext): Promise<string> {
  return ctx.clients.get('notebook:python', async () => {
    const { ensurePythonPackages } = await import('../stack/python.js');
    const env = await ensurePythonPackages(NOTEBOOK_PACKAGES, {
      progress: ctx.progress,
      log: ctx.log,
      signal: ctx.signal,
    });
    return env.python;
  });
}

/** Beside this module when run from source; in the repository's tools/ when run from dist/. */
function runnerPath(): string {
  const candidates = [
    new URL('./python/run_notebook.py', import.meta.url),
    new URL('../../../tools/notebook/python/run_notebook.py', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new ToolError('internal', `run_notebook.py is missing (looked in ${candidates.join(', ')})`);
  return found;
}

interface Answer {
  ok: boolean;
  cells?: number;
  executed?: number;
  failure?: CellFailure | null;
  error?: { kind?: string; message?: string };
}

export async function runNotebook(
  ctx: ToolContext,
  notebook: string,
  options: RunOptions,
): Promise<RunResult> {
  const started = performance.now();
  const python = await ensureNotebookPython(ctx);
  ctx.progress({ done: 0, message: `executing ${ctx.workspace.display(notebook)}` });
  const result = await runChild(python, [runnerPath()], {
    signal: ctx.signal,
    input: JSON.stringify({ notebook, timeout: options.timeoutSeconds, save: options.save }),
    onStderrLine(line) {
      if (!line.startsWith('{"progress"')) {
        ctx.log.debug(`run_notebook: ${line}`);
        return false;
      }
      try {
        ctx.progress(
          (JSON.parse(line) as { progress: { done: number; total?: number; message?: string } }).progress,
        );
        return true;
      } catch {
        return false;
      }
    },
  });
  let answer: Answer;
  try {
    answer = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Answer;
  } catch {
    throw new ToolError(
      'internal',
      `The notebook runner failed (exit ${result.code}): ${result.stderrTail.slice(-6).join(' | ')}`,
      { hint: 'Rerun with DATASTACK_DEBUG=1 to see its output' },
    );
  }
  if (!answer.ok) {
    const code = answer.error?.kind === 'invalid_input' ? 'invalid_input' : 'internal';
    throw new ToolError(code, answer.error?.message ?? 'The notebook runner failed', {
      hint: 'Open it in Jupyter, or write a new one with `datastack generate notebook`',
    });
  }
  return {
    cells: answer.cells ?? 0,
    executed: answer.executed ?? 0,
    ...(answer.failure ? { failure: answer.failure } : {}),
    elapsedMs: Math.round(performance.now() - started),
  };
}
