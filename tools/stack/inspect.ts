/** `stack status` and `stack logs`: what runs, whether it is ours, and whether it answers. */
import { ToolError } from '../core/errors.js';
import { isSameProcess } from './processes.js';
import type { StackRuntime } from './service.js';
import { DEFAULT_SERVICES, findService, SERVICES } from './services/index.js';
import { logPath, readRecord, tailFile } from './state.js';

export interface StatusRow {
  name: string;
  /**
   * running: started by datastack here and healthy; starting: ours, not answering yet;
   * external: answers on the port but was not started by datastack in this project;
   * stopped: nothing answers.
   */
  state: 'running' | 'starting' | 'external' | 'stopped';
  healthy: boolean;
  pid?: number;
  url: string;
  version?: string;
  started_at?: string;
  log?: string;
  detail?: string;
}

/**
 * What `stack status` and `stack down` cover when no service is named: the default set plus every
 * service this project's state says was started here, so an MLflow, Airflow or Spark that was never
 * started does not show up as "stopped" in every status.
 */
export function servicesInPlay(stateDir: string): string[] {
  return SERVICES.filter(
    (service) =>
      DEFAULT_SERVICES.includes(service.name) || readRecord(stateDir, service.hostedBy ?? service.name),
  ).map((service) => service.name);
}

export async function statusServices(names: readonly string[], rt: StackRuntime): Promise<StatusRow[]> {
  const services = (names.length ? names : servicesInPlay(rt.stateDir)).map(requireService);
  return Promise.all(
    services.map(async (service): Promise<StatusRow> => {
      const owner = service.hostedBy ?? service.name;
      const record = readRecord(rt.stateDir, owner);
      const ours = record !== undefined && (await isSameProcess(record.pid, record.fingerprint));
      const health = await service.health(rt, rt.signal);
      // The recorded version is the one we installed and ran; the health check may add detail.
      const version = [...new Set([record?.version, health.version].filter(Boolean))].join(', ');
      const state = ours ? (health.ok ? 'running' : 'starting') : health.ok ? 'external' : 'stopped';
      const detail = !health.ok
        ? record && !ours
          ? `exited since ${record.started_at}; see \`datastack stack logs ${owner}\``
          : health.detail
        : state === 'external'
          ? 'answers, but was not started by datastack in this project'
          : health.detail;
      return {
        name: service.name,
        state,
        healthy: health.ok,
        ...(ours && record ? { pid: record.pid, started_at: record.started_at } : {}),
        url: health.url,
        ...(version && (ours || health.ok) ? { version } : {}),
        ...(record ? { log: record.log } : {}),
        ...(detail ? { detail } : {}),
      };
    }),
  );
}

export function readServiceLog(
  name: string,
  lines: number,
  rt: StackRuntime,
): { log: string; lines: string[] } {
  const service = requireService(name);
  const owner = service.hostedBy ?? service.name;
  const path = logPath(rt.stateDir, owner);
  const text = tailFile(path, lines);
  if (text.length === 0 && !readRecord(rt.stateDir, owner)) {
    throw new ToolError(
      'not_found',
      `No log for ${owner}: it has not been started by datastack in this project`,
      {
        hint: `Start it with \`datastack stack up ${owner}\``,
      },
    );
  }
  return { log: path, lines: text };
}

function requireService(name: string) {
  const service = findService(name);
  if (!service) {
    throw new ToolError('invalid_input', `Unknown service "${name}"`, {
      hint: `Known services: ${SERVICES.map((s) => s.name).join(', ')}`,
    });
  }
  return service;
}
