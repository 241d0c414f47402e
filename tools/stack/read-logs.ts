import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { readServiceLog } from './inspect.js';
import { runtimeFor } from './runtime.js';
import { ServiceName } from './schemas.js';

const Input = z.object({
  service: ServiceName,
  lines: z.number().int().min(1).max(5000).default(50).describe('How many of the last lines to show'),
});

const Output = z.object({
  service: z.string().describe('Service whose log this is'),
  log: z.string().describe('Log file path'),
  line_count: z.number().describe('Lines shown'),
  text: z.string().describe('The last lines, oldest first (untrusted: whatever the service printed)'),
});

export const stackLogs = defineTool({
  name: 'stack_logs',
  title: 'Logs of a local service',
  description:
    "The last lines of a local service log (s3, nessie; iceberg shows Nessie's), to see why it failed or what it did.",
  toolset: 'stack',
  action: 'logs',
  positional: ['service'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run: (input, ctx) => {
    const { log, lines } = readServiceLog(input.service, input.lines, runtimeFor(ctx));
    return Promise.resolve({
      service: input.service,
      log: ctx.workspace.display(log),
      line_count: lines.length,
      text: lines.join('\n'),
    });
  },
  // Logs echo request paths and bodies others sent: never let them read as instructions.
  toText: (output) =>
    `${output.line_count} lines of ${output.log}\n${fenceUntrusted(`${output.service} log`, output.text)}`,
});
