/** `stack down`: stop what this project started, dependents first, and nothing else. */
import { ToolError } from '../core/errors.js';
import { withDependencies } from './manager.js';
import { isSameProcess, stopProcessGroup } from './processes.js';
import type { ServiceDefinition, StackRuntime } from './service.js';
import { SERVICES } from './services/index.js';
import { readRecord, removeRecord } from './state.js';

export interface DownReport {
  name: string;
  state: 'stopped' | 'not_running' | 'hosted';
  pid?: number;
  detail?: string;
}

/** The named services and those that depend on them, dependents first (Nessie before S3). */
export function withDependents(names: readonly string[]): ServiceDefinition[] {
  const wanted = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of SERVICES) {
      if (!wanted.has(service.name) && service.dependencies.some((d) => wanted.has(d))) {
        wanted.add(service.name);
        grew = true;
      }
    }
  }
  return withDependencies([...wanted])
    .filter((s) => wanted.has(s.name))
    .reverse();
}

/** Stops only processes this project's state recorded, and only while the pid is still theirs. */
export async function downServices(names: readonly string[], rt: StackRuntime): Promise<DownReport[]> {
  const reports: DownReport[] = [];
  for (const service of withDependents(names)) {
    if (service.hostedBy) {
      reports.push({ name: service.name, state: 'hosted', detail: `served by ${service.hostedBy}` });
      continue;
    }
    const record = readRecord(rt.stateDir, service.name);
    if (!record) {
      reports.push({
        name: service.name,
        state: 'not_running',
        detail: 'not started by datastack in this project',
      });
      continue;
    }
    if (!(await isSameProcess(record.pid, record.fingerprint))) {
      removeRecord(rt.stateDir, service.name);
      reports.push({
        name: service.name,
        state: 'not_running',
        pid: record.pid,
        detail: 'had already exited; record removed',
      });
      continue;
    }
    const gone = await stopProcessGroup(record.pid);
    if (!gone) throw new ToolError('internal', `Could not stop ${service.name} (pid ${record.pid})`);
    removeRecord(rt.stateDir, service.name);
    reports.push({ name: service.name, state: 'stopped', pid: record.pid });
  }
  return reports;
}
