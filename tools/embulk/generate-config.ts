import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { buildConfig } from './build-config.js';
import type { Fetch, Land } from './config-file.js';
import { embulkStateDir } from './runner.js';

export const GenerateInput = z.object({
  source: z
    .string()
    .min(1)
    .describe(
      "A workspace CSV/TSV/JSON-lines file or folder ('data/sales.csv'), or one S3 object ('s3://raw/sales.csv')",
    ),
  destination: z
    .enum(['local', 's3', 'lake'])
    .default('local')
    .describe(
      'local: CSV files in output_dir; s3: also uploaded to bucket/prefix; lake: uploaded, then loaded into table',
    ),
  output_dir: z
    .string()
    .optional()
    .describe("Workspace folder Embulk writes to (default 'output/embulk/NAME')"),
  bucket: z.string().optional().describe('Bucket for the s3 and lake destinations, on the profile endpoint'),
  prefix: z.string().optional().describe("Key prefix in the bucket (default 'ingest/NAME/')"),
  table: z
    .string()
    .optional()
    .describe('Iceberg table namespace.table for the lake destination (created when missing)'),
  ref: z.string().optional().describe('Nessie branch the lake load writes to'),
  delimiter: z.string().optional().describe('Field delimiter, when the sniffer should not guess it'),
  config: z.string().optional().describe("Where to write the config (default 'embulk/NAME.yml')"),
  overwrite: z.boolean().default(false).describe('Replace an existing config file'),
});
export type GenerateInputT = z.infer<typeof GenerateInput>;

export const GenerateOutput = z.object({
  config: z.string().describe('Workspace path of the config written'),
  name: z.string().describe('Name of the load (file stem)'),
  input: z.string().describe('What Embulk reads (workspace path)'),
  parser: z.string().describe('Parser type: csv or json'),
  delimiter: z.string().optional().describe('CSV delimiter guessed'),
  header_lines: z.number().optional().describe('Header lines skipped'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('Column'),
        type: z.string().describe('Embulk type'),
        format: z.string().optional().describe('Timestamp format'),
      }),
    )
    .describe('Columns guessed by DuckDB sniff_csv'),
  output_dir: z.string().describe('Workspace folder Embulk writes to'),
  land: z.string().optional().describe('Where the output lands after the run (s3 URI, Iceberg table)'),
});

const safeName = (text: string) => text.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '_') || 'load';

/** Writes the config; `embulk_generate` and `data_ingest` share it. */
export async function generateConfig(
  input: GenerateInputT,
  ctx: ToolContext,
): Promise<z.infer<typeof GenerateOutput>> {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(input.source);
  const name = safeName(basename(s3?.[2] ?? input.source.replace(/\/$/, '')));
  let fetch: Fetch | undefined;
  let inputPath: string;
  if (s3?.[1] && s3[2]) {
    // No S3 input plugin for Embulk 0.11 on Maven Central: the object is fetched before each run.
    const inbox = ctx.workspace.display(join(embulkStateDir(ctx.workspace.root), 'inbox', name));
    fetch = { s3: { bucket: s3[1], key: s3[2] }, path: `${inbox}/${basename(s3[2])}` };
    await mkdir(ctx.workspace.resolve(inbox), { recursive: true });
    const { fetchSource } = await import('./land.js');
    await fetchSource(ctx, fetch);
    inputPath = fetch.path;
  } else {
    const absolute = ctx.workspace.resolve(input.source);
    if (!existsSync(absolute))
      throw new ToolError('not_found', `No file or folder at ${input.source}`, {
        hint: 'Give a path inside the workspace or s3://bucket/key',
      });
    inputPath = ctx.workspace.display(absolute) + (statSync(absolute).isDirectory() ? '/' : '');
  }
  const sample = await sampleFile(ctx.workspace.resolve(inputPath));
  const isJson = /\.(json|jsonl|ndjson)$/i.test(sample);
  const { sniffCsv } = await import('./sniff.js');
  const delimiter = input.delimiter ?? (extname(sample).toLowerCase() === '.tsv' ? '\t' : undefined);
  const parser = isJson ? ({ type: 'json' } as const) : await sniffCsv(ctx, sample, delimiter);

  const land = landFor(input, name);
  const outputDir =
    input.output_dir ??
    (land
      ? ctx.workspace.display(join(embulkStateDir(ctx.workspace.root), 'out', name))
      : `output/embulk/${name}`);
  const config = buildConfig({
    input: inputPath,
    parser,
    outputDir,
    name,
    ...(land ? { land } : {}),
    ...(fetch ? { fetch } : {}),
  });
  const configPath = ctx.workspace.resolve(input.config ?? `embulk/${name}.yml`);
  if (existsSync(configPath) && !input.overwrite) {
    throw new ToolError('conflict', `${ctx.workspace.display(configPath)} already exists`, {
      hint: 'Pass overwrite, or give another config path',
    });
  }
  await mkdir(dirname(configPath), { recursive: true });
  await mkdir(ctx.workspace.resolve(outputDir), { recursive: true });
  const { stringify } = await import('yaml');
  await writeFile(
    configPath,
    `# Embulk 0.11 config written by datastack embulk generate; run with: datastack embulk run ${ctx.workspace.display(configPath)}\n${stringify(config)}`,
  );
  return {
    config: ctx.workspace.display(configPath),
    name,
    input: inputPath,
    parser: parser.type,
    ...(parser.type === 'csv' ? { delimiter: parser.delimiter, header_lines: parser.skip_header_lines } : {}),
    columns: parser.type === 'csv' ? parser.columns : [],
    output_dir: outputDir,
    ...(land
      ? {
          land: [land.s3 ? `s3://${land.s3.bucket}/${land.s3.prefix}` : '', land.iceberg?.table ?? '']
            .filter(Boolean)
            .join(' then '),
        }
      : {}),
  };
}

function landFor(input: GenerateInputT, name: string): Land | undefined {
  if (input.destination === 'local') return undefined;
  const bucket = input.bucket;
  if (!bucket)
    throw new ToolError('invalid_input', `The ${input.destination} destination needs a bucket`, {
      hint: 'Pass bucket (see `datastack s3 list-buckets`)',
    });
  const s3 = { bucket, prefix: input.prefix ?? `ingest/${name}/` };
  if (input.destination === 's3') return { s3 };
  if (!input.table)
    throw new ToolError('invalid_input', 'The lake destination needs a table (namespace.table)', {
      hint: 'Pass table, e.g. raw.sales',
    });
  return { s3, iceberg: { table: input.table, ...(input.ref ? { ref: input.ref } : {}) } };
}

/** The file to sniff: the source itself, or the first data file of a folder. */
async function sampleFile(path: string): Promise<string> {
  if (!path.endsWith('/') && !statSync(path).isDirectory()) return path;
  const first = (await readdir(path)).filter((f) => !f.startsWith('.')).sort()[0];
  if (!first)
    throw new ToolError('not_found', `${path} holds no file`, {
      hint: 'Point source at a file or a folder of data files',
    });
  return join(path, first);
}

export const embulkGenerate = defineTool({
  name: 'embulk_generate',
  title: 'Generate Embulk config',
  description:
    'Write an Embulk config for a CSV/TSV/JSON-lines file, folder or S3 object: parser (delimiter, header, column names and types) guessed by DuckDB sniff_csv; output to a local folder, to S3, or to the lake (S3 then an Iceberg table).',
  toolset: 'embulk',
  positional: ['source'],
  input: GenerateInput,
  output: GenerateOutput,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  toText: (o) =>
    [
      `Wrote ${o.config}: ${o.input} → ${o.output_dir}${o.land ? ` → ${o.land}` : ''}`,
      o.parser === 'csv'
        ? `csv, delimiter ${JSON.stringify(o.delimiter)}, ${o.header_lines} header line(s)`
        : 'json lines (one json column "record")',
      ...o.columns.map((c) => `  ${c.name}: ${c.type}${c.format ? ` (${c.format})` : ''}`),
    ].join('\n'),
  run: generateConfig,
});
