/**
 * The Spark properties of every session DataStack starts: the lake's Iceberg REST catalog as
 * `lake` (on a Nessie branch), S3FileIO on the profile's S3, our jars, an event log we can read
 * after the driver is gone, and loopback addresses. Secrets never become properties: they travel
 * as environment variables (`env`), which the bootstrap hands to executors (spark.executorEnv.*).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { refSegment } from '../iceberg/rest-client.js';

/** The catalog name jobs use: `spark.table('lake.sales.orders')`. */
export const LAKE_CATALOG = 'lake';

export interface SessionSettings {
  /** Spark properties: safe to show, log and put on a command line. */
  conf: Record<string, string>;
  /** Secrets and process settings, passed as environment variables only. */
  env: Record<string, string>;
  /** The Nessie branch the `lake` catalog is bound to, when there is a catalog. */
  ref?: string;
  /** Where the driver writes its event log (one file per application id). */
  eventLogDir: string;
}

/** `.datastack/spark` in the project: driver logs, event logs, run records. */
export function sparkDir(ctx: ToolContext, ...parts: string[]): string {
  const dir = join(ctx.workspace.root, '.datastack', 'spark', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Spark's redaction default plus `_key`/`key_id` names (AWS_ACCESS_KEY_ID is not matched by it). */
const REDACTION = '(?i)secret|password|token|access[._]?key|credential';

export function sessionSettings(
  ctx: ToolContext,
  options: { ref?: string | undefined; conf?: Record<string, string> | undefined; jars: readonly string[] },
): SessionSettings {
  const eventLogDir = sparkDir(ctx, 'events');
  const conf: Record<string, string> = {
    'spark.jars': options.jars.join(','),
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    'spark.driver.host': '127.0.0.1',
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': `file://${eventLogDir}`,
    // Spark 4 compresses event logs by default; plain JSON lines are what we parse.
    'spark.eventLog.compress': 'false',
    // And writes a folder of rolling files; one file per application is simpler to read.
    'spark.eventLog.rolling.enabled': 'false',
    'spark.redaction.regex': REDACTION,
    'spark.ui.showConsoleProgress': 'false',
  };
  const env: Record<string, string> = {};
  const executorEnv: string[] = [];
  const iceberg = ctx.config.iceberg;
  let ref: string | undefined;
  if (iceberg?.url) {
    ref = options.ref ?? ctx.workBranch ?? (ctx.config.nessie ? ctx.config.nessie.default_branch : undefined);
    const base = iceberg.url.replace(/\/+$/, '');
    const prefix = `spark.sql.catalog.${LAKE_CATALOG}`;
    Object.assign(conf, {
      [prefix]: 'org.apache.iceberg.spark.SparkCatalog',
      [`${prefix}.type`]: 'rest',
      // Nessie's documented way to pick a branch: the reference as the path segment before /v1.
      [`${prefix}.uri`]: ref && ctx.config.nessie ? `${base}/${refSegment(ref)}` : base,
      ...(iceberg.warehouse ? { [`${prefix}.warehouse`]: iceberg.warehouse } : {}),
      [`${prefix}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
      'spark.sql.defaultCatalog': LAKE_CATALOG,
    });
    // The REST catalog reads its token only as a property: the bootstrap sets it from this
    // variable inside the driver, where Spark's redaction hides it.
    if (iceberg.token) env.DATASTACK_CATALOG_TOKEN = iceberg.token;
  }
  const s3 = ctx.config.s3;
  if (s3) {
    const prefix = `spark.sql.catalog.${LAKE_CATALOG}`;
    if (s3.endpoint) conf[`${prefix}.s3.endpoint`] = s3.endpoint;
    conf[`${prefix}.s3.path-style-access`] = String(s3.force_path_style);
    conf[`${prefix}.client.region`] = s3.region;
    env.AWS_REGION = s3.region;
    executorEnv.push('AWS_REGION');
    if (s3.access_key_id && s3.secret_access_key) {
      env.AWS_ACCESS_KEY_ID = s3.access_key_id;
      env.AWS_SECRET_ACCESS_KEY = s3.secret_access_key;
      executorEnv.push('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY');
    }
  }
  env.DATASTACK_SPARK_EXECUTOR_ENV = executorEnv.join(',');
  Object.assign(conf, ctx.config.spark.conf, options.conf ?? {});
  return { conf, env, ...(ref ? { ref } : {}), eventLogDir };
}

/** Properties fit to show or log: anything that looks like a secret is dropped. */
export function publicConf(conf: Record<string, string>): Record<string, string> {
  const secret = /secret|password|token|access[._-]?key|credential/i;
  return Object.fromEntries(Object.entries(conf).filter(([key]) => !secret.test(key)));
}

/** `--conf k=v` pairs from the CLI, checked. */
export function parseConfPairs(pairs: readonly string[] = []): Record<string, string> {
  const conf: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new ToolError('invalid_input', `--conf "${pair}" is not key=value`, {
        hint: 'Write it as --conf spark.executor.memory=1g',
      });
    }
    conf[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return conf;
}

/** A file shipped beside this module (source) or in the repo's tools/ (from dist/). */
export function pythonScript(name: string): string {
  const candidates = [
    new URL(`./python/${name}`, import.meta.url),
    new URL(`../../../tools/spark/python/${name}`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new ToolError('internal', `${name} is missing (looked in ${candidates.join(', ')})`);
  return found;
}
