import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../core/types.js';

/** File extensions DuckDB reads directly. */
export const DATA_EXTENSIONS: Record<string, 'csv' | 'parquet' | 'json'> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.parquet': 'parquet',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
};

/** Folders that never hold the user's datasets and are slow to walk. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.datastack', 'dist', '.dvc']);

const Input = z.object({
  folder: z.string().default('.').describe('Folder to search, relative to the workspace'),
  max_depth: z.number().int().min(0).max(20).default(6).describe('How many folder levels to descend'),
});

const Dataset = z.object({
  path: z.string().describe('Path relative to the workspace'),
  format: z.enum(['csv', 'parquet', 'json']).describe('File format'),
  bytes: z.number().describe('File size in bytes'),
});

const Output = z.object({
  datasets: z.array(Dataset).describe('Data files found, sorted by path'),
  total: z.number().describe('How many were found'),
});

export const queryListDatasets = defineTool({
  name: 'query_list_datasets',
  title: 'List datasets',
  description: 'List the CSV, Parquet and JSON files in the workspace that query_sql can read.',
  toolset: 'query',
  aliases: ['datasets', 'ls'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const start = ctx.workspace.resolve(input.folder);
    const datasets: z.infer<typeof Dataset>[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (ctx.signal.aborted) return;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (depth < input.max_depth && !SKIPPED_DIRS.has(entry.name)) await walk(full, depth + 1);
          continue;
        }
        const format = DATA_EXTENSIONS[extname(entry.name).toLowerCase()];
        if (!entry.isFile() || !format) continue;
        const { size } = await stat(full);
        datasets.push({ path: ctx.workspace.display(full), format, bytes: size });
      }
    };
    await walk(start, 0);
    datasets.sort((a, b) => a.path.localeCompare(b.path));
    return { datasets, total: datasets.length };
  },
});
