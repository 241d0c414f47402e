import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { COMPOSE_SERVICES, composeDocument } from './compose.js';
import { resolvePorts } from './manager.js';

const Input = z.object({
  path: z.string().default('docker-compose.yaml').describe('Workspace path of the compose file to write'),
  overwrite: z.boolean().optional().describe('Replace the file when it exists and differs'),
});

const Output = z.object({
  file: z.string().describe('The compose file written'),
  services: z.array(z.string()).describe('Compose services in the file'),
  changed: z.boolean().describe('False when the file already had this content'),
});

export const stackCompose = defineTool({
  name: 'stack_compose',
  title: 'Write a docker-compose file',
  description:
    'Write a docker-compose.yaml for teams with Docker: MinIO, Nessie, Dremio, Spark, Airflow and MLflow on the ports and credentials of the "stack" profile. Writes the file only; does not run Docker.',
  toolset: 'stack',
  action: 'compose',
  positional: ['path'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  run: async (input, ctx) => {
    const target = ctx.workspace.resolve(input.path);
    const text = await composeDocument(resolvePorts(ctx.config.stack.ports));
    const before = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (before !== undefined && before !== text && !input.overwrite) {
      throw new ToolError('conflict', `${input.path} exists and differs from the generated file`, {
        hint: 'Pass --overwrite to replace it, or give another --path',
      });
    }
    if (before !== text) writeFileSync(target, text);
    return { file: ctx.workspace.display(target), services: [...COMPOSE_SERVICES], changed: before !== text };
  },
});
