/**
 * Spark tests run on the real thing: pyspark 4.0 in local mode and the standalone master and
 * worker `datastack stack up spark` starts (REST submission API on), with the lake (moto S3,
 * Nessie and its Iceberg REST catalog) and MLflow from ensureServices. Jobs are small PySpark
 * files written into each test's workspace. Every test makes its own namespaces and branches.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ToolContext } from '../../tools/core/types.js';
import { ensureServices, TEST_PORTS, type ServiceEndpoints } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { NessieRest, VEGA_DATA } from '../iceberg/fixtures.js';

export { call, callError } from '../helpers/call.js';
export { unique } from '../iceberg/fixtures.js';

export interface SparkLake {
  services: ServiceEndpoints;
  ws: TempWorkspace;
  nessie: NessieRest;
  ctx: ToolContext;
  /** The profile as datastack.yaml holds it, for CLI runs. */
  yaml: string;
  /** How long ensureServices took (cold start vs reuse), reported by the tests. */
  startMs: number;
  context(extra?: Record<string, unknown>): Promise<ToolContext>;
  cleanup(): void;
}

export async function openSparkLake(): Promise<SparkLake> {
  const started = performance.now();
  const services = await ensureServices(['s3', 'nessie', 'iceberg', 'mlflow', 'spark']);
  const startMs = Math.round(performance.now() - started);
  const profile = {
    ...services.config,
    // The fragment `stack up spark` writes, on the test ports; jobs default to local[*].
    spark: {
      rest_url: `http://127.0.0.1:${TEST_PORTS.spark_rest}`,
      ui_url: `http://127.0.0.1:${TEST_PORTS.spark_master_ui}`,
    },
  };
  const yaml = stringify({ profile: 'stack', profiles: { stack: profile } });
  const ws = makeWorkspace({ 'datastack.yaml': yaml });
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'data', 'seattle-weather.csv'));
  const contexts: ToolContext[] = [];
  const others: TempWorkspace[] = [];
  const context = async (extra: Record<string, unknown> = {}) => {
    let root = ws.root;
    if (Object.keys(extra).length) {
      const other = makeWorkspace({
        'datastack.yaml': stringify({ profile: 'stack', profiles: { stack: { ...profile, ...extra } } }),
      });
      others.push(other);
      root = other.root;
    }
    const ctx = await contextFor(root, { confirm: () => Promise.resolve(true) });
    contexts.push(ctx);
    return ctx;
  };
  return {
    services,
    ws,
    nessie: new NessieRest(services.nessie.url),
    ctx: await context(),
    yaml,
    startMs,
    context,
    cleanup() {
      for (const ctx of contexts) void ctx.clients.closeAll();
      for (const other of [ws, ...others]) other.cleanup();
    },
  };
}

/** The standalone master's state (`GET /json/` of its UI). */
export async function masterState(): Promise<{
  activedrivers: Array<{ id: string; state: string }>;
  completeddrivers: Array<{ id: string; state: string }>;
  activeapps: Array<{ id: string }>;
}> {
  const response = await fetch(`http://127.0.0.1:${TEST_PORTS.spark_master_ui}/json/`);
  return (await response.json()) as never;
}
