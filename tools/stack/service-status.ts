import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { statusServices } from './inspect.js';
import { runtimeFor } from './runtime.js';
import { ServiceList } from './schemas.js';

const Input = z.object({ services: ServiceList });

const Row = z.object({
  name: z.string().describe('Service name'),
  state: z
    .enum(['running', 'starting', 'external', 'stopped'])
    .describe(
      'running (ours, healthy), starting (ours, not answering yet), external (answers, not ours), stopped',
    ),
  healthy: z.boolean().describe('Whether the health check answered'),
  pid: z.number().optional().describe('Process id, when datastack started it'),
  url: z.string().describe('URL clients use'),
  version: z.string().optional().describe('Version installed and as reported'),
  started_at: z.string().optional().describe('When it was started (ISO time)'),
  log: z.string().optional().describe('Log file'),
  detail: z.string().optional().describe('Why it is not healthy, or a remark'),
});

const Output = z.object({ services: z.array(Row).describe('One row per service') });

type StatusOutput = z.infer<typeof Output>;

export const stackStatus = defineTool({
  name: 'stack_status',
  title: 'Status of local services',
  description:
    'Health-check the local services (S3, Nessie, Iceberg REST): state, pid, URL, version and log file of each. Use it when a call to S3, Nessie or Iceberg is refused.',
  toolset: 'stack',
  action: 'status',
  positional: ['services'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run: async (input, ctx: ToolContext) => ({
    services: await statusServices(input.services ?? [], runtimeFor(ctx)),
  }),
  toText: (output: StatusOutput) =>
    output.services
      .map(
        (s) =>
          `${s.name}: ${s.state} at ${s.url}${s.version ? ` (${s.version})` : ''}${s.pid ? ` pid ${s.pid}` : ''}${s.detail ? `: ${s.detail}` : ''}`,
      )
      .join('\n'),
});
