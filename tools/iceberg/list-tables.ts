import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { NamespaceField, onRef, parseNamespace, RefField } from './names.js';
import { RestCatalog } from './rest-client.js';

const Input = z.object({
  namespace: NamespaceField,
  ref: RefField,
  limit: z.number().int().min(1).max(10_000).default(500).describe('Most tables to return'),
});

const Output = z.object({
  namespace: z.string().describe('The namespace listed'),
  tables: z.array(z.string()).describe('Tables as namespace.table'),
  more: z.boolean().describe('True when the namespace has more than were returned'),
  ref: z.string().optional().describe('Nessie branch or tag that was read'),
});

export const icebergListTables = defineTool({
  name: 'iceberg_list_tables',
  title: 'List Iceberg tables',
  description:
    'List the tables in one namespace of the Iceberg REST catalog, on a Nessie branch when ref is given.',
  toolset: 'iceberg',
  positional: ['namespace'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref);
    const { items, more } = await catalog.listTables(parseNamespace(input.namespace), input.limit);
    return {
      namespace: input.namespace,
      tables: items.map((id) => [...id.namespace, id.name].join('.')),
      more,
      ...(catalog.ref ? { ref: catalog.ref } : {}),
    };
  },
  toText(output) {
    const n = output.tables.length;
    const head = `${n}${output.more ? '+' : ''} table${n === 1 ? '' : 's'} in ${output.namespace}${onRef(output.ref)}`;
    return n === 0 ? head : `${head}\n${fenceUntrusted('table names', output.tables.join('\n'))}`;
  },
});
