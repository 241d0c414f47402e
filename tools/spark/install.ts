/**
 * Spark for a tool call: the same install `datastack stack up spark` uses (pyspark in its venv,
 * the Iceberg jars, a Java 17–21), made once per process and kept in the client pool.
 */
import { join } from 'node:path';
import type { ToolContext } from '../core/types.js';
import type { SparkInstall } from '../stack/services/spark.js';

export interface SparkForCall {
  install: SparkInstall & { submit: string };
  /** The environment Spark processes start with (no secrets: those come per session). */
  env: NodeJS.ProcessEnv;
}

export function sparkInstall(ctx: ToolContext): Promise<SparkForCall> {
  return ctx.clients.get('spark:install', async () => {
    const [{ ensureSpark, sparkEnv }, { runtimeFor }] = await Promise.all([
      import('../stack/services/spark.js'),
      import('../stack/runtime.js'),
    ]);
    const rt = runtimeFor(ctx);
    const install = await ensureSpark(rt);
    // Secrets the user exported must not leak into a job by accident: the profile decides.
    const {
      AWS_ACCESS_KEY_ID: _id,
      AWS_SECRET_ACCESS_KEY: _secret,
      AWS_SESSION_TOKEN: _token,
      ...env
    } = rt.env;
    return {
      install: { ...install, submit: join(install.home, 'bin', 'spark-submit') },
      env: { ...env, ...sparkEnv(install) },
    };
  });
}
