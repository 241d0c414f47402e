import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { installServices, upServices, withDependencies } from './manager.js';
import { projectConfigPath, STACK_PROFILE, writeProfile } from './profile-file.js';
import { runtimeFor } from './runtime.js';
import { ServiceList } from './schemas.js';
import type { ProfileFragment } from './service.js';
import { DEFAULT_SERVICES } from './services/index.js';

const Input = z.object({
  services: ServiceList,
  install_only: z
    .boolean()
    .optional()
    .describe('Only install what the services need (venv, jars) into the cache; start nothing'),
});

const Service = z.object({
  name: z.string().describe('Service name'),
  state: z
    .enum(['started', 'running', 'installed'])
    .describe('started now, already running, or installed only'),
  pid: z.number().optional().describe('Process id (the host process for a hosted service)'),
  url: z.string().optional().describe('URL clients use'),
  version: z.string().optional().describe('Version of the running service'),
  log: z.string().optional().describe('Log file'),
});

const Output = z.object({
  services: z.array(Service).describe('One row per service, dependencies first'),
  profile: z.string().optional().describe('Profile pointed at the services'),
  config_file: z.string().optional().describe('datastack.yaml that holds the profile'),
  config_changed: z.boolean().optional().describe('Whether datastack.yaml was changed'),
  elapsed_ms: z.number().describe('Time taken, in milliseconds'),
});

type UpInput = z.infer<typeof Input>;
type UpOutput = z.infer<typeof Output>;

export const stackUp = defineTool({
  name: 'stack_up',
  title: 'Start local services',
  description:
    'Start the local data stack without Docker: S3 (moto), Nessie and its Iceberg REST catalog. Installs on first use, starts dependencies first, waits until healthy, and points the "stack" profile of datastack.yaml at them. Already running services are left as they are.',
  toolset: 'stack',
  action: 'up',
  positional: ['services'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  run: runUp,
  toText: upText,
});

async function runUp(input: UpInput, ctx: ToolContext): Promise<UpOutput> {
  const started = performance.now();
  const rt = runtimeFor(ctx);
  const names = input.services?.length ? input.services : [...DEFAULT_SERVICES];
  if (input.install_only) {
    const services = withDependencies(names);
    await installServices(services, rt);
    return {
      services: services.map((s) => ({
        name: s.name,
        state: 'installed' as const,
        ...versionOf(s.installedVersion?.(rt)),
      })),
      elapsed_ms: Math.round(performance.now() - started),
    };
  }
  const reports = await upServices(names, rt);
  const fragment: ProfileFragment = {};
  const ports: Record<string, number> = {};
  for (const service of withDependencies(names)) {
    Object.assign(fragment, service.profile(rt));
    for (const key of Object.keys(service.ports)) ports[key] = rt.ports[key] ?? 0;
  }
  fragment.stack = { ports };
  const file = projectConfigPath(ctx.config);
  const changed = await writeProfile(file, fragment);
  return {
    services: reports,
    profile: STACK_PROFILE,
    config_file: ctx.workspace.display(file),
    config_changed: changed,
    elapsed_ms: Math.round(performance.now() - started),
  };
}

function versionOf(version: string | undefined): { version?: string } {
  return version ? { version } : {};
}

function upText(output: UpOutput): string {
  const lines = output.services.map(
    (s) =>
      `${s.name}: ${s.state}${s.pid ? ` (pid ${s.pid})` : ''}${s.url ? ` at ${s.url}` : ''}${s.version ? `, ${s.version}` : ''}`,
  );
  if (output.profile) {
    lines.push(
      `Profile "${output.profile}" in ${output.config_file} ${output.config_changed ? 'updated' : 'already up to date'}; use --profile ${output.profile}.`,
    );
  }
  return lines.join('\n');
}
