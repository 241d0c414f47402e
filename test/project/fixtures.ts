/**
 * Helpers for the project and env tests: real workspaces, the real tools, and the generated
 * project's own Python run from its .venv. Installs go through uv's shared cache (~/.cache/uv),
 * so only the first environment of a machine downloads anything, and only from PyPI.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
export { call, callError } from '../helpers/call.js';

export const VEGA_DATA = fileURLToPath(new URL('../../node_modules/vega-datasets/data', import.meta.url));

/** Long enough for a cold PyPI download of torch (measured 20 s here) on a slow day. */
export const INSTALL_TIMEOUT = 600_000;

export interface PythonRun {
  code: number;
  output: string;
  ms: number;
}

/** Runs the project's .venv python with `args` in the project folder. */
export function projectPython(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): PythonRun {
  const started = performance.now();
  const result = spawnSync(join(dir, '.venv', 'bin', 'python'), args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeout: 300_000,
  });
  return {
    code: result.status ?? -1,
    output: `${result.stdout}\n${result.stderr}`,
    ms: Math.round(performance.now() - started),
  };
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Timings collected by a test file, printed at its end for the record. */
export function timings(): { add(label: string, ms: number): void; print(title: string): void } {
  const rows: Array<[string, number]> = [];
  return {
    add: (label, ms) => rows.push([label, ms]),
    print: (title) => {
      if (rows.length)
        console.log(
          `${title}\n${rows.map(([l, ms]) => `  ${l.padEnd(40)} ${(ms / 1000).toFixed(1)} s`).join('\n')}`,
        );
    },
  };
}
