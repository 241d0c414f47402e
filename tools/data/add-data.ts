import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  path: z
    .string()
    .min(1)
    .optional()
    .describe("File or folder to version, e.g. 'data/raw/sales.csv' (not with source)"),
  source: z
    .enum(['database', 'lake'])
    .optional()
    .describe(
      'Materialise a query result instead: database = DuckDB SQL over workspace files; lake = an Iceberg table',
    ),
  query: z
    .string()
    .min(1)
    .optional()
    .describe(
      'SQL text or a workspace .sql file; with lake it reads the table as a view named after it (lake.weather → weather)',
    ),
  table: z
    .string()
    .min(3)
    .optional()
    .describe("With source lake: the Iceberg table as namespace.table, e.g. 'lake.weather'"),
  ref: z
    .string()
    .min(1)
    .optional()
    .describe('With source lake: the Nessie branch or tag to read (default: the default branch)'),
  out: z
    .string()
    .min(1)
    .optional()
    .describe("With source: the file to write, .parquet, .csv or .json, e.g. 'data/processed/sales.parquet'"),
  commit: z
    .boolean()
    .default(false)
    .describe('Also commit the staged .dvc pointer in git (default: only stage it)'),
  message: z.string().min(1).optional().describe('Commit message (with commit)'),
});

const Source = z.object({
  source: z.enum(['database', 'lake']).describe('Where the data came from'),
  rows: z.number().describe('Rows written'),
  query: z.string().optional().describe('The SQL that produced it'),
  query_file: z.string().optional().describe('The .sql file the SQL was read from'),
  table: z.string().optional().describe('Iceberg table read'),
  nessie_ref: z.string().optional().describe('Nessie branch or tag read'),
  nessie_hash: z.string().optional().describe('Nessie commit hash the table was read at'),
  snapshot_id: z.string().optional().describe('Iceberg snapshot read'),
  created_at: z.string().describe('When it was materialised, ISO 8601'),
});

const Output = z.object({
  path: z.string().describe('The versioned data, relative to the workspace'),
  dvc_file: z.string().describe('Its .dvc pointer file, relative to the workspace'),
  md5: z.string().describe('DVC hash of the data (`….dir` for a folder)'),
  size: z.number().optional().describe('Bytes'),
  files: z.number().optional().describe('Files in a folder'),
  staged: z.array(z.string()).describe('Files staged in git (repository-relative)'),
  commit: z.string().optional().describe('The git commit, when commit was asked'),
  source: Source.optional().describe(
    'Provenance of a materialised query result, also kept in the .dvc file under meta.datastack',
  ),
  dvc_initialised: z.boolean().describe('True when this call ran `dvc init` first'),
});

type AddInput = z.infer<typeof Input>;
type AddOutput = z.infer<typeof Output>;

export const dataAdd = defineTool({
  name: 'data_add',
  title: 'Version data with DVC',
  description:
    'Put a file or folder under DVC (dvc add) and stage its .dvc pointer in git; or materialise a query result (source database: DuckDB SQL; source lake: an Iceberg table at a recorded Nessie hash) into `out` and version that. Returns the md5 and size.',
  toolset: 'data',
  positional: ['path'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  run: addData,
  toText(out) {
    const size =
      out.size === undefined ? '' : `, ${out.size} bytes${out.files ? ` in ${out.files} files` : ''}`;
    const from = out.source
      ? ` from ${out.source.source}${out.source.table ? ` ${out.source.table}` : ''}${out.source.nessie_hash ? ` at ${out.source.nessie_ref}@${out.source.nessie_hash.slice(0, 12)}` : ''} (${out.source.rows} rows)`
      : '';
    const git = out.commit ? `committed ${out.commit.slice(0, 12)}` : `staged ${out.staged.join(', ')}`;
    return `Versioned ${out.path}${from}: md5 ${out.md5}${size}; ${git}.${out.dvc_initialised ? ' (ran dvc init first)' : ''}`;
  },
});

async function addData(input: AddInput, ctx: ToolContext): Promise<AddOutput> {
  const target = checkInput(input, ctx);
  const [{ openRepo, gitFailure }, track, { writeDatastackMeta }] = await Promise.all([
    import('../git/repo.js'),
    import('./track.js'),
    import('./dvc-file.js'),
  ]);
  const repo = await openRepo(ctx, { withIdentity: input.commit });
  const project = await track.ensureDvcProject(ctx, repo);

  let source: z.infer<typeof Source> | undefined;
  if (input.source) {
    await refuseUnversionedOverwrite(target, ctx);
    const { materialiseQuery } = await import('./materialise-query.js');
    source = await materialiseQuery(
      {
        source: input.source,
        out: target,
        ...(input.query ? { query: input.query } : {}),
        ...(input.table ? { table: input.table } : {}),
        ...(input.ref ? { ref: input.ref } : {}),
      },
      ctx,
    );
  }
  const { out, dvcFile } = await track.dvcAdd(ctx, repo, target);
  if (source) await writeDatastackMeta(dvcFile, source);
  try {
    const staged = await track.stagePointers(repo, dvcFile, project.initialised ? project.root : undefined);
    let commit: string | undefined;
    if (input.commit) {
      const message = input.message ?? `data: version ${ctx.workspace.display(target)}`;
      const absolute = staged.map((p) => `${repo.root}/${p}`);
      await repo.git.commit(message, absolute, { '--no-verify': null, '--no-gpg-sign': null });
      commit = (await repo.git.revparse(['HEAD'])).trim();
    }
    return {
      path: ctx.workspace.display(target),
      dvc_file: ctx.workspace.display(dvcFile),
      md5: out.md5,
      ...(out.size !== undefined ? { size: out.size } : {}),
      ...(out.nfiles !== undefined ? { files: out.nfiles } : {}),
      staged,
      ...(commit ? { commit } : {}),
      ...(source ? { source } : {}),
      dvc_initialised: project.initialised,
    };
  } catch (error) {
    throw gitFailure(error, 'git could not stage the .dvc pointer');
  }
}

/** The absolute path to version, after checking that the arguments make one request. */
function checkInput(input: AddInput, ctx: ToolContext): string {
  if (input.source) {
    if (input.path) throw new ToolError('invalid_input', 'Give a path, or a source with out, not both');
    if (!input.out) {
      throw new ToolError('invalid_input', `source ${input.source} needs out, the file to write`, {
        hint: "e.g. out: 'data/processed/result.parquet'",
      });
    }
    return ctx.workspace.resolve(input.out);
  }
  if (!input.path) {
    throw new ToolError('invalid_input', 'Give the file or folder to version, or a source with a query', {
      hint: 'datastack data add data/raw/sales.csv, or --source database --query q.sql --out data/processed/x.parquet',
    });
  }
  if (input.out || input.query || input.table) {
    throw new ToolError('invalid_input', 'out, query and table go with source (database or lake)');
  }
  const path = ctx.workspace.resolve(input.path);
  if (!existsSync(path)) {
    throw new ToolError('not_found', `No file or folder at ${input.path}`, {
      hint: 'Give a workspace path; `datastack query list-datasets` lists the data files',
    });
  }
  return path;
}

/**
 * A materialised result may replace an earlier version of itself (DVC keeps that in its cache),
 * but never a file whose current bytes exist nowhere else.
 */
async function refuseUnversionedOverwrite(target: string, ctx: ToolContext): Promise<void> {
  if (!existsSync(target)) return;
  const display = ctx.workspace.display(target);
  if (statSync(target).isDirectory()) {
    throw new ToolError('conflict', `${display} is a folder`, { hint: 'Give out as a file path' });
  }
  const [{ dvcFileFor, readDvcFile }, { fileMd5 }] = await Promise.all([
    import('./dvc-file.js'),
    import('./track.js'),
  ]);
  const pointer = dvcFileFor(target);
  const recorded = existsSync(pointer) ? (await readDvcFile(pointer, pointer)).outs[0]?.md5 : undefined;
  if (recorded && recorded === (await fileMd5(target))) return;
  throw new ToolError('conflict', `${display} exists and this version of it is not in DVC`, {
    hint: `Version it first with \`datastack data add ${display}\`, or choose another out path`,
  });
}
