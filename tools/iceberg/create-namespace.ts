import { z } from 'zod';
import { isToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { NamespaceField, onRef, parseNamespace, RefField } from './names.js';
import { RestCatalog } from './rest-client.js';

const Input = z.object({
  namespace: NamespaceField,
  properties: z
    .record(z.string(), z.string())
    .optional()
    .describe('Namespace properties, e.g. { owner: "data-team" }'),
  if_not_exists: z
    .boolean()
    .default(false)
    .describe('Succeed without change when the namespace already exists'),
  ref: RefField,
});

const Output = z.object({
  namespace: z.string().describe('The namespace'),
  created: z.boolean().describe('False when it already existed (with if_not_exists)'),
  properties: z
    .record(z.string(), z.string())
    .optional()
    .describe('Its properties as the catalog stores them'),
  ref: z.string().optional().describe('Nessie branch it was created on'),
});

export const icebergCreateNamespace = defineTool({
  name: 'iceberg_create_namespace',
  title: 'Create Iceberg namespace',
  description:
    'Create a namespace (e.g. lake or sales.eu) in the Iceberg REST catalog, on a Nessie branch when ref is given; parents must exist.',
  toolset: 'iceberg',
  positional: ['namespace'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref, 'write');
    const levels = parseNamespace(input.namespace);
    const ref = catalog.ref ? { ref: catalog.ref } : {};
    try {
      const created = await catalog.createNamespace(levels, input.properties ?? {});
      return {
        namespace: input.namespace,
        created: true,
        ...(created.properties ? { properties: created.properties } : {}),
        ...ref,
      };
    } catch (error) {
      if (!(input.if_not_exists && isToolError(error) && error.code === 'conflict')) throw error;
      const existing = await catalog.loadNamespace(levels);
      return {
        namespace: input.namespace,
        created: false,
        ...(existing.properties ? { properties: existing.properties } : {}),
        ...ref,
      };
    }
  },
  toText(output) {
    return `${output.created ? 'Created' : 'Already there:'} namespace ${output.namespace}${onRef(output.ref)}`;
  },
});
