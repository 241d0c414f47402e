/**
 * The training as a child process: every output line goes to the run's log file and, as live
 * progress, to the face; the last lines are kept for the error message. It runs in its own
 * process group so an abort (Ctrl-C) stops it and whatever it started (joblib workers, torch
 * data loaders), not only the Python at its top.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProgressReporter } from '../core/types.js';

export interface TrainingSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  signal: AbortSignal;
  progress: ProgressReporter;
}

export interface TrainingOutcome {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  aborted: boolean;
  /** The last output lines, for an error message. */
  tail: string[];
  lines: number;
}

const TAIL_LINES = 30;
/** Time a training gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 5_000;

export function runTraining(spec: TrainingSpec): Promise<TrainingOutcome> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let lines = 0;
    let aborted = false;
    const emit = (line: string) => {
      log.write(`${line}\n`);
      if (!line.trim()) return;
      lines += 1;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      spec.progress({ done: lines, message: line.trim().slice(0, 160) });
    };
    const reader = () => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          // tqdm-style bars redraw with \r: each redraw is a progress line of its own.
          const parts = (partial + chunk.toString()).split(/\r?\n|\r/);
          partial = parts.pop() ?? '';
          parts.forEach(emit);
        },
        flush: () => {
          if (partial) emit(partial);
          partial = '';
        },
      };
    };
    const out = reader();
    const err = reader();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);

    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      aborted = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });

    const done = () => {
      spec.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    };
    child.on('error', (error) => {
      done();
      log.end();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      out.flush();
      err.flush();
      log.end(() => resolve({ code, aborted, tail, lines }));
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
