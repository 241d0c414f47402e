import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { NamespaceField, onRef, parseNamespace, RefField } from './names.js';
import { RestCatalog } from './rest-client.js';

const Input = z.object({
  namespace: NamespaceField,
  ref: RefField,
  dry_run: z.boolean().default(false).describe('Only check that it exists and is empty; drop nothing'),
});

const Output = z.object({
  namespace: z.string().describe('The namespace'),
  dropped: z.boolean().describe('True when it was dropped (false on a dry run)'),
  ref: z.string().optional().describe('Nessie branch it was dropped on'),
});

export const icebergDropNamespace = defineTool({
  name: 'iceberg_drop_namespace',
  title: 'Drop Iceberg namespace',
  description:
    'Drop an empty namespace from the Iceberg REST catalog (on a Nessie branch when ref is given). Fails when it still has tables.',
  toolset: 'iceberg',
  positional: ['namespace'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary: (input) => `Drop namespace ${input.namespace}${onRef(input.ref)}`,
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref, 'write');
    const levels = parseNamespace(input.namespace);
    const ref = catalog.ref ? { ref: catalog.ref } : {};
    if (input.dry_run) {
      await catalog.loadNamespace(levels);
      const tables = await catalog.listTables(levels, 1);
      if (tables.items.length > 0) {
        throw new ToolError('conflict', `Namespace ${input.namespace} is not empty${onRef(catalog.ref)}`, {
          hint: 'Drop its tables first (`datastack iceberg drop-table`)',
        });
      }
      return { namespace: input.namespace, dropped: false, ...ref };
    }
    await catalog.dropNamespace(levels);
    return { namespace: input.namespace, dropped: true, ...ref };
  },
  toText(output) {
    return output.dropped
      ? `Dropped namespace ${output.namespace}${onRef(output.ref)}`
      : `Dry run: namespace ${output.namespace} exists and is empty${onRef(output.ref)}; nothing dropped`;
  },
});
