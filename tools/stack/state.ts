/**
 * What `stack up` started, one JSON file per service under `<workspace>/.datastack/stack/`:
 * enough for `stack down` to stop exactly that process and for `status` to explain itself.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ServiceRecord = z.object({
  service: z.string(),
  pid: z.number().int(),
  /** Start time of the pid when recorded; a different value means the pid was reused. */
  fingerprint: z.string().optional(),
  ports: z.record(z.string(), z.number()),
  log: z.string(),
  started_at: z.string(),
  version: z.string().optional(),
  command: z.string(),
});
export type ServiceRecord = z.infer<typeof ServiceRecord>;

export const recordPath = (stateDir: string, service: string): string => join(stateDir, `${service}.json`);
export const logPath = (stateDir: string, service: string): string =>
  join(stateDir, 'logs', `${service}.log`);

export function readRecord(stateDir: string, service: string): ServiceRecord | undefined {
  try {
    const parsed = ServiceRecord.safeParse(JSON.parse(readFileSync(recordPath(stateDir, service), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeRecord(stateDir: string, record: ServiceRecord): void {
  mkdirSync(stateDir, { recursive: true });
  const path = recordPath(stateDir, record.service);
  // Write then rename, so a concurrent reader never sees half a record.
  writeFileSync(`${path}.tmp`, JSON.stringify(record, null, 2));
  renameSync(`${path}.tmp`, path);
}

export function removeRecord(stateDir: string, service: string): void {
  rmSync(recordPath(stateDir, service), { force: true });
}

/** Keeps the previous run's log as `.1` (a crash is explained there) and starts a fresh one. */
export function rotateLog(stateDir: string, service: string): string {
  const path = logPath(stateDir, service);
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  if (existsSync(path)) renameSync(path, `${path}.1`);
  return path;
}

/** The last `lines` lines of a log file, or [] when there is none. Reads at most the last 1 MiB. */
export function tailFile(path: string, lines: number): string[] {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 1 << 20);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const all = text.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  return all.slice(-lines);
}
