import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { NamespaceField, onRef, parseNamespace, RefField } from './names.js';
import { RestCatalog } from './rest-client.js';

const Input = z.object({
  parent: NamespaceField.optional().describe('List the namespaces under this one (default: top level)'),
  ref: RefField,
  limit: z.number().int().min(1).max(10_000).default(500).describe('Most namespaces to return'),
});

const Output = z.object({
  namespaces: z.array(z.string()).describe('Namespaces, levels joined by dots'),
  more: z.boolean().describe('True when the catalog has more than were returned'),
  ref: z.string().optional().describe('Nessie branch or tag that was read'),
});

export const icebergListNamespaces = defineTool({
  name: 'iceberg_list_namespaces',
  title: 'List Iceberg namespaces',
  description:
    'List the namespaces of the Iceberg REST catalog (top level, or under a parent), on a Nessie branch when ref is given.',
  toolset: 'iceberg',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref);
    const { items, more } = await catalog.listNamespaces(
      input.parent ? parseNamespace(input.parent) : undefined,
      input.limit,
    );
    return {
      namespaces: items.map((levels) => levels.join('.')),
      more,
      ...(catalog.ref ? { ref: catalog.ref } : {}),
    };
  },
  toText(output) {
    const head = `${output.namespaces.length}${output.more ? '+' : ''} namespace${output.namespaces.length === 1 ? '' : 's'}${onRef(output.ref)}`;
    return output.namespaces.length === 0
      ? head
      : `${head}\n${fenceUntrusted('namespace names', output.namespaces.join('\n'))}`;
  },
});
