/**
 * The common work behind `stack up`: order services after their dependencies, install, refuse
 * ports taken by others, spawn, wait for health, record. Shared by the tools and by the test
 * helper, so tests start services exactly as users do.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { withFileLock } from './lock.js';
import {
  isSameProcess,
  processFingerprint,
  spawnDetached,
  stopProcessGroup,
  waitUntil,
  isAlive,
} from './processes.js';
import { ensurePythonPackages } from './python.js';
import type { ServiceDefinition, StackRuntime } from './service.js';
import { findService, SERVICES } from './services/index.js';
import {
  readRecord,
  removeRecord,
  rotateLog,
  tailFile,
  writeRecord,
  logPath,
  type ServiceRecord,
} from './state.js';

export interface UpReport {
  name: string;
  /** `started` now, or was already `running`. */
  state: 'started' | 'running';
  pid?: number;
  url: string;
  version?: string;
  log?: string;
}

/** Every port key of every service, from the services' defaults overlaid with `stack.ports`. */
export function resolvePorts(configured: Readonly<Record<string, number>> = {}): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const service of SERVICES) Object.assign(ports, service.ports);
  return { ...ports, ...configured };
}

/** The named services and everything they need, dependencies first. */
export function withDependencies(names: readonly string[]): ServiceDefinition[] {
  const ordered: ServiceDefinition[] = [];
  const visit = (name: string, path: string[]) => {
    const service = findService(name);
    if (!service) {
      throw new ToolError('invalid_input', `Unknown service "${name}"`, {
        hint: `Known services: ${SERVICES.map((s) => s.name).join(', ')}`,
      });
    }
    if (ordered.includes(service)) return;
    if (path.includes(name))
      throw new ToolError('internal', `Service dependency cycle: ${[...path, name].join(' → ')}`);
    for (const dependency of service.dependencies) visit(dependency, [...path, name]);
    ordered.push(service);
  };
  for (const name of names) visit(name, []);
  return ordered;
}

/** Installs what the services need: one pip run for all Python packages, then jars. */
export async function installServices(
  services: readonly ServiceDefinition[],
  rt: StackRuntime,
): Promise<void> {
  const python = [...new Set(services.flatMap((s) => s.pythonPackages ?? []))];
  if (python.length > 0) {
    await ensurePythonPackages(python, {
      cacheDir: rt.cacheDir,
      env: rt.env,
      progress: rt.progress,
      log: rt.log,
      signal: rt.signal,
    });
  }
  for (const service of services) await service.install?.(rt);
}

export async function upServices(names: readonly string[], rt: StackRuntime): Promise<UpReport[]> {
  const services = withDependencies(names);
  await installServices(services, rt);
  // One `up` at a time per project: a second one waits, then finds everything running.
  return withFileLock(
    join(rt.stateDir, 'up.lock'),
    'starting services',
    async () => {
      const reports: UpReport[] = [];
      for (const [index, service] of services.entries()) {
        rt.progress({ done: index, total: services.length, message: `starting ${service.name}` });
        reports.push(await upOne(service, rt));
      }
      rt.progress({ done: services.length, total: services.length, message: 'all healthy' });
      return reports;
    },
    { signal: rt.signal, timeoutMs: 5 * 60_000 },
  );
}

async function upOne(service: ServiceDefinition, rt: StackRuntime): Promise<UpReport> {
  if (service.hostedBy) {
    const host = readRecord(rt.stateDir, service.hostedBy);
    const health = await waitHealthy(service, rt, host?.pid, 30);
    return {
      name: service.name,
      state: 'running',
      ...(host ? { pid: host.pid } : {}),
      url: health.url,
      ...versionOf(host?.version ?? health.version),
    };
  }
  const record = readRecord(rt.stateDir, service.name);
  if (record && (await isSameProcess(record.pid, record.fingerprint))) {
    const moved = Object.entries(record.ports).find(([key, port]) => rt.ports[key] !== port);
    if (moved) {
      throw new ToolError(
        'conflict',
        `${service.name} runs on port ${moved[1]} but stack.ports.${moved[0]} now says ${rt.ports[moved[0]]}`,
        {
          hint: `Restart it on the new port: \`datastack stack down ${service.name}\`, then \`datastack stack up\``,
        },
      );
    }
    const health = await waitHealthy(service, rt, record.pid, service.startTimeoutSeconds ?? 60);
    await service.afterStart?.(rt);
    return {
      name: service.name,
      state: 'running',
      pid: record.pid,
      url: health.url,
      ...versionOf(record.version),
      log: record.log,
    };
  }
  if (record) removeRecord(rt.stateDir, service.name);
  if (rt.reuseHealthy) {
    const health = await service.health(rt, rt.signal);
    if (health.ok) {
      await service.afterStart?.(rt);
      return { name: service.name, state: 'running', url: health.url, ...versionOf(health.version) };
    }
  }

  await assertPortsFree(service, rt);
  if (!service.launch) throw new ToolError('internal', `Service ${service.name} has no launch step`);
  const spec = await service.launch(rt);
  const log = rotateLog(rt.stateDir, service.name);
  const pid = spawnDetached(spec, log, rt.env);
  const version = service.installedVersion?.(rt);
  const fingerprint = await processFingerprint(pid);
  // Recorded before the health wait, so `stack down` can stop a service that never got healthy.
  const started: ServiceRecord = {
    service: service.name,
    pid,
    ...(fingerprint ? { fingerprint } : {}),
    ports: Object.fromEntries(Object.keys(service.ports).map((key) => [key, rt.ports[key] ?? 0])),
    log,
    started_at: new Date().toISOString(),
    ...(version ? { version } : {}),
    command: [spec.command, ...spec.args.filter((arg) => !/\.secret=/.test(arg))].join(' '),
  };
  writeRecord(rt.stateDir, started);
  try {
    const health = await waitHealthy(service, rt, pid, service.startTimeoutSeconds ?? 60);
    await service.afterStart?.(rt);
    return { name: service.name, state: 'started', pid, url: health.url, ...versionOf(version), log };
  } catch (error) {
    // Half-started services only hold the port and confuse the next try.
    await stopProcessGroup(pid, 3_000);
    removeRecord(rt.stateDir, service.name);
    throw error;
  }
}

function versionOf(version: string | undefined): { version?: string } {
  return version ? { version } : {};
}

/** Polls the health check until it answers; fails early when the process has exited. */
async function waitHealthy(
  service: ServiceDefinition,
  rt: StackRuntime,
  pid: number | undefined,
  seconds: number,
) {
  let last = await service.health(rt, rt.signal);
  await waitUntil(
    async () => {
      if (rt.signal.aborted) throw new ToolError('aborted', 'Cancelled');
      last = await service.health(rt, rt.signal);
      return last.ok || (pid !== undefined && !isAlive(pid));
    },
    seconds * 1000,
    300,
  );
  if (last.ok) return last;
  const log = logPath(rt.stateDir, service.hostedBy ?? service.name);
  const tail = tailFile(log, 15).join('\n');
  const exited = pid !== undefined && !isAlive(pid);
  throw new ToolError(
    'unavailable',
    `${service.name} ${exited ? 'exited during start-up' : `did not become healthy within ${seconds} s`} (${last.url}: ${last.detail ?? 'no answer'})${tail ? `\nLast lines of ${log}:\n${tail}` : ''}`,
    { hint: `See \`datastack stack logs ${service.hostedBy ?? service.name}\`` },
  );
}

async function assertPortsFree(service: ServiceDefinition, rt: StackRuntime): Promise<void> {
  for (const key of Object.keys(service.ports)) {
    const port = rt.ports[key];
    if (port === undefined || (await portIsFree(port))) continue;
    const where = rt.profile ? `profiles.${rt.profile}.stack.ports.${key}` : `stack.ports.${key}`;
    throw new ToolError(
      'conflict',
      `Port ${port} for ${service.name} is in use by another process, not one datastack started (config key stack.ports.${key})`,
      {
        hint: `Stop that process, or choose a free port: set ${where} in datastack.yaml (e.g. ${port + 1}), then run \`datastack stack up\` again`,
      },
    );
  }
}

/** True when nothing listens on 127.0.0.1:port (a listener on 0.0.0.0 blocks the bind too). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
