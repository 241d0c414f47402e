/**
 * Spawning services that outlive the command, and stopping only what we spawned. A pid alone can
 * be reused by the OS after our process died, so every recorded pid carries a fingerprint (its
 * start time) that must still match before we send a signal.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { LaunchSpec } from './service.js';

const execFileAsync = promisify(execFile);

/** Starts `spec` in its own process group with stdout and stderr appended to `logFile`. */
export function spawnDetached(spec: LaunchSpec, logFile: string, env: NodeJS.ProcessEnv): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...env, ...spec.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    // Errors such as ENOENT surface as an exit before health, with the log explaining.
    child.on('error', () => {});
    child.unref();
    if (child.pid === undefined) throw new Error(`Could not start ${spec.command}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An identity for a live pid: its start time (Linux /proc jiffies; elsewhere `ps -o lstart`). */
export async function processFingerprint(pid: number): Promise<string | undefined> {
  if (!isAlive(pid)) return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 22 (starttime); the command name in parentheses may hold spaces, so split after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[19];
    } catch {
      return undefined;
    }
  }
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'lstart=', '-p', String(pid)]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and still the process that was recorded with `fingerprint`. */
export async function isSameProcess(pid: number, fingerprint: string | undefined): Promise<boolean> {
  const now = await processFingerprint(pid);
  return now !== undefined && (fingerprint === undefined || now === fingerprint);
}

/**
 * SIGTERM to the process group (a JVM or Flask server may have children), then SIGKILL after
 * `graceMs` to whatever of the group is left. Resolves true when the whole group is gone.
 */
export async function stopProcessGroup(pid: number, graceMs = 10_000): Promise<boolean> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  // The whole group, not only its leader: `airflow standalone` exits on SIGTERM while its
  // scheduler, in the same group, lingers on for good unless it is killed too.
  const groupAlive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return isAlive(pid);
    }
  };
  signalGroup('SIGTERM');
  if (await waitUntil(() => !groupAlive(), graceMs)) return true;
  signalGroup('SIGKILL');
  return waitUntil(() => !groupAlive(), 5_000);
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Runs a command to completion (installs), passing each output line on; rejects on failure. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; signal: AbortSignal; onLine?: (line: string) => void; cwd?: string },
): Promise<{ output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const emit = (line: string) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
    };
    // A chunk can end mid-line: keep each stream's unfinished line until its end arrives.
    const lineReader = () => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split(/\r?\n/);
          partial = lines.pop() ?? '';
          lines.forEach(emit);
        },
        flush: () => {
          emit(partial);
          partial = '';
        },
      };
    };
    const out = lineReader();
    const err = lineReader();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    const onAbort = () => child.kill('SIGTERM');
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      out.flush();
      err.flush();
      options.signal.removeEventListener('abort', onAbort);
      if (code === 0) resolve({ output: tail.join('\n') });
      else reject(new CommandFailed(`${command} ${args.join(' ')} exited with ${code}`, tail.join('\n')));
    });
  });
}

export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}
