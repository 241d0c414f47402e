import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';

const Input = z.object({
  path: z
    .string()
    .optional()
    .describe(
      'Space, source or folder to list, as in Dremio SQL: Samples."samples.dremio.com" (default: the catalog root)',
    ),
});

const Entry = z.object({
  name: z.string().describe('Last segment of the path'),
  path: z.string().describe('Full path, ready for SQL or for another dremio_catalog call'),
  kind: z
    .string()
    .describe(
      'space, source, home or folder (containers); table or view (datasets); file (not yet a dataset)',
    ),
  id: z.string().describe('Catalog id (dremio_describe accepts it too)'),
});

const Output = z.object({
  path: z.string().describe('The listed container ("" for the root)'),
  kind: z.string().describe('What the path is: root, space, source, home, folder, or dataset'),
  entries: z.array(Entry).describe('What it holds'),
});

export type CatalogOutput = z.infer<typeof Output>;

export const dremioCatalog = defineTool({
  name: 'dremio_catalog',
  title: 'Browse the Dremio catalog',
  description:
    "List what a Dremio container holds: the root's spaces, sources and home, or a folder's folders and datasets (tables, views). Paths as in Dremio SQL.",
  toolset: 'dremio',
  action: 'catalog',
  aliases: ['ls'],
  positional: ['path'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const { browseCatalog } = await import('./catalog.js');
    return browseCatalog(input.path, ctx);
  },
  toText(output) {
    const where = output.path === '' ? 'Dremio catalog root' : `${output.kind} ${output.path}`;
    if (output.entries.length === 0) return `${where}: empty`;
    // Names come from whoever created the datasets: data, not instructions.
    const lines = output.entries.map((e) => `${e.kind}\t${e.path}`);
    return `${where}: ${output.entries.length} entries\n${fenceUntrusted('catalog entries', lines.join('\n'))}`;
  },
});
