/**
 * The shape of an Embulk config as DataStack writes and checks it: the keys Embulk requires, the
 * plugins this install provides, and DataStack's own `datastack:` section (where the output lands
 * after Embulk wrote it locally, and the S3 object fetched before it reads), which Embulk ignores.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { EMBULK_PLUGINS, type PluginKind } from './install.js';

/** Column types of Embulk 0.11's type system. */
export const EMBULK_TYPES = ['boolean', 'long', 'double', 'string', 'timestamp', 'json'] as const;

const Column = z.object({
  name: z.string().min(1),
  type: z.enum(EMBULK_TYPES),
  format: z.string().optional(),
});

const Plugin = z.looseObject({ type: z.string().min(1) });

const Parser = z.looseObject({
  type: z.string().min(1),
  columns: z.array(Column).optional(),
});

export const LandSchema = z.object({
  s3: z
    .object({ bucket: z.string().min(1), prefix: z.string().default('') })
    .optional()
    .describe('Upload the output files to s3://bucket/prefix on the profile endpoint'),
  iceberg: z
    .object({ table: z.string().min(1), ref: z.string().optional() })
    .optional()
    .describe('Then load them into this Iceberg table (namespace.table), created from the data when missing'),
});
export type Land = z.infer<typeof LandSchema>;

export const FetchSchema = z.object({
  s3: z.object({ bucket: z.string().min(1), key: z.string().min(1) }),
  path: z.string().min(1),
});
export type Fetch = z.infer<typeof FetchSchema>;

export const EmbulkConfigSchema = z.looseObject({
  in: z.looseObject({
    type: z.string().min(1),
    parser: Parser.optional(),
    decoders: z.array(Plugin).optional(),
  }),
  out: z.looseObject({
    type: z.string().min(1),
    formatter: Plugin.optional(),
    encoders: z.array(Plugin).optional(),
  }),
  filters: z.array(Plugin).optional(),
  exec: z.record(z.string(), z.unknown()).optional(),
  datastack: z.object({ land: LandSchema.optional(), fetch: FetchSchema.optional() }).optional(),
});
export type EmbulkConfig = z.infer<typeof EmbulkConfigSchema>;

export function knownPlugins(kind: PluginKind): string[] {
  return EMBULK_PLUGINS.filter((p) => p.kind === kind).map((p) => p.name);
}

export interface ConfigProblem {
  path: string;
  message: string;
}

/** Every problem found (schema, then plugins this install lacks); empty when the config is fine. */
export function configProblems(raw: unknown): ConfigProblem[] {
  const parsed = EmbulkConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(root)',
      message: issue.message,
    }));
  }
  const config = parsed.data;
  const problems: ConfigProblem[] = [];
  const check = (path: string, kind: PluginKind, type: string) => {
    if (!knownPlugins(kind).includes(type)) {
      problems.push({
        path,
        message: `unknown ${kind} plugin "${type}" (installed: ${knownPlugins(kind).join(', ')})`,
      });
    }
  };
  check('in.type', 'input', config.in.type);
  if (config.in.parser) check('in.parser.type', 'parser', config.in.parser.type);
  config.in.decoders?.forEach((d, i) => check(`in.decoders.${i}.type`, 'decoder', d.type));
  check('out.type', 'output', config.out.type);
  if (config.out.formatter) check('out.formatter.type', 'formatter', config.out.formatter.type);
  config.out.encoders?.forEach((e, i) => check(`out.encoders.${i}.type`, 'encoder', e.type));
  if (config.filters?.length) problems.push({ path: 'filters', message: 'no filter plugin is installed' });
  if (config.in.type === 'file' && typeof config.in.path_prefix !== 'string') {
    problems.push({ path: 'in.path_prefix', message: 'the file input needs path_prefix' });
  }
  if (config.out.type === 'file' && typeof config.out.path_prefix !== 'string') {
    problems.push({ path: 'out.path_prefix', message: 'the file output needs path_prefix' });
  }
  if (config.in.parser?.type === 'csv' && !config.in.parser.columns?.length) {
    problems.push({
      path: 'in.parser.columns',
      message: 'the csv parser needs columns (name and type each)',
    });
  }
  if (config.datastack?.land?.iceberg && !config.datastack.land.s3) {
    problems.push({
      path: 'datastack.land',
      message: 'iceberg landing needs s3 (the files land there first)',
    });
  }
  return problems;
}

/** Reads and checks a config file; a broken one is an `invalid_input` error listing its problems. */
export async function readEmbulkConfig(path: string, display: string): Promise<EmbulkConfig> {
  const { parse } = await import('yaml');
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new ToolError('not_found', `No Embulk config at ${display}`, {
      hint: 'Write one with `datastack embulk generate SOURCE`',
      cause: error,
    });
  });
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ToolError('invalid_input', `${display} is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const problems = configProblems(raw);
  if (problems.length) {
    throw new ToolError(
      'invalid_input',
      `${display} is not a valid Embulk config:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
      {
        hint: 'Fix it, or write a fresh one with `datastack embulk generate SOURCE`',
      },
    );
  }
  return EmbulkConfigSchema.parse(raw);
}
