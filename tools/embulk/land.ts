/**
 * What happens around an Embulk run that Embulk itself cannot do here: Maven Central has no S3
 * plugins for 0.11, so an S3 source is downloaded to the project first, and S3 or lake output is
 * written locally by Embulk, then uploaded with the s3 tools and loaded with the iceberg tools.
 */
import { basename } from 'node:path';
import { isToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { Fetch, Land } from './config-file.js';

export interface Landed {
  s3_uris: string[];
  iceberg_table?: string;
  iceberg_rows?: number;
  snapshot_id?: string;
}

/** Downloads the S3 object a config reads, over the last copy. */
export async function fetchSource(ctx: ToolContext, fetch: Fetch): Promise<void> {
  const { s3Download } = await import('../s3/download-object.js');
  await s3Download.run(
    s3Download.input.parse({ bucket: fetch.s3.bucket, key: fetch.s3.key, path: fetch.path, overwrite: true }),
    ctx,
  );
}

/** Uploads the written files to S3, then loads them into the Iceberg table when one is named. */
export async function landOutput(ctx: ToolContext, files: readonly string[], land: Land): Promise<Landed> {
  const landed: Landed = { s3_uris: [] };
  if (!land.s3) return landed;
  const { s3Upload } = await import('../s3/upload-files.js');
  const prefix = land.s3.prefix && !land.s3.prefix.endsWith('/') ? `${land.s3.prefix}/` : land.s3.prefix;
  for (const file of files) {
    const key = `${prefix}${basename(file)}`;
    ctx.progress({
      done: landed.s3_uris.length,
      total: files.length,
      message: `uploading to s3://${land.s3.bucket}/${key}`,
    });
    await s3Upload.run(s3Upload.input.parse({ path: file, bucket: land.s3.bucket, key }), ctx);
    landed.s3_uris.push(`s3://${land.s3.bucket}/${key}`);
  }
  if (land.iceberg) Object.assign(landed, await loadIntoIceberg(ctx, files, land.iceberg));
  return landed;
}

async function loadIntoIceberg(
  ctx: ToolContext,
  files: readonly string[],
  target: NonNullable<Land['iceberg']>,
) {
  const [{ icebergLoadTable }, { icebergCreateTable }] = await Promise.all([
    import('../iceberg/load-table.js'),
    import('../iceberg/create-table.js'),
  ]);
  const ref = target.ref ? { ref: target.ref } : {};
  let rows = 0;
  let snapshot: string | undefined;
  for (const [index, file] of files.entries()) {
    const dataset = ctx.workspace.display(file);
    ctx.progress({ done: index, total: files.length, message: `loading ${dataset} into ${target.table}` });
    try {
      const out = await icebergLoadTable.run(
        icebergLoadTable.input.parse({ table: target.table, dataset, ...ref }),
        ctx,
      );
      rows += Number(out.rows);
      snapshot = out.snapshot_id as string | undefined;
    } catch (error) {
      // A table that does not exist yet takes the schema of the first file.
      if (!isToolError(error) || error.code !== 'not_found' || index > 0) throw error;
      const out = await icebergCreateTable.run(
        icebergCreateTable.input.parse({ table: target.table, dataset, load: true, ...ref }),
        ctx,
      );
      rows += Number(out.loaded_rows ?? 0);
      snapshot = out.snapshot_id as string | undefined;
    }
  }
  return { iceberg_table: target.table, iceberg_rows: rows, ...(snapshot ? { snapshot_id: snapshot } : {}) };
}
