/**
 * Spark end to end on the real engine: a PySpark job on a Nessie branch of the lake (local mode),
 * the same through the standalone REST submission API, a failing job, a kill on the master,
 * --track-all into MLflow, and query.engine: spark against DuckDB. Services are shared by the
 * whole file (Spark starts in tens of seconds; jobs take 10–25 s each on 2 cores).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icebergCreateNamespace } from '../../tools/iceberg/create-namespace.js';
import { icebergCreateTable } from '../../tools/iceberg/create-table.js';
import { icebergListTables } from '../../tools/iceberg/list-tables.js';
import { icebergQueryTable } from '../../tools/iceberg/query-table.js';
import { MlflowClient } from '../../tools/mlflow/client.js';
import { querySql } from '../../tools/query/run-sql.js';
import { sparkKill } from '../../tools/spark/kill.js';
import { sparkApplications } from '../../tools/spark/list-applications.js';
import { sparkLogs } from '../../tools/spark/logs.js';
import { findRun, listRuns } from '../../tools/spark/runs.js';
import { sparkStatus } from '../../tools/spark/status.js';
import { sparkSubmit } from '../../tools/spark/submit.js';
import { runCli } from '../helpers/run-cli.js';
import { TEST_PORTS } from '../helpers/services.js';
import { call, callError, masterState, openSparkLake, unique, type SparkLake } from './fixtures.js';

type Run = {
  run_id: string;
  app_id?: string;
  submission_id?: string;
  state: string;
  log: string;
  mode: string;
  duration_ms?: number;
  metrics?: Record<string, number>;
  mlflow_run_id?: string;
};

let lake: SparkLake;
const ns = unique();
const branch = `spark/${unique()}`;
/** Distinct values of `weather` in seattle-weather.csv. */
const WEATHER_KINDS = 5;
const MASTER = `spark://127.0.0.1:${TEST_PORTS.spark_master}`;

const DERIVE_JOB = `
import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
source, target = sys.argv[1], sys.argv[2]
df = spark.table(source).groupBy("weather").count()
df.writeTo(target).using("iceberg").createOrReplace()
print("derived", spark.table(target).count(), "rows")
`;

beforeAll(async () => {
  lake = await openSparkLake();
  console.error(`[spark] services ready in ${lake.startMs} ms`);
  await lake.nessie.createBranch(branch);
  await call(icebergCreateNamespace, { namespace: ns, ref: branch }, lake.ctx);
  await call(
    icebergCreateTable,
    { table: `${ns}.weather`, dataset: 'data/seattle-weather.csv', ref: branch, load: true },
    lake.ctx,
  );
  lake.ws.write('jobs/derive.py', DERIVE_JOB);
}, 900_000);
afterAll(() => lake?.cleanup());

describe('spark_submit in local mode', () => {
  it('reads a lake table on a branch and writes a derived table on that branch only', async () => {
    const run = await call<Run>(
      sparkSubmit,
      { file: 'jobs/derive.py', ref: branch, args: [`${ns}.weather`, `lake.${ns}.by_weather`] },
      lake.ctx,
    );
    expect(run).toMatchObject({ mode: 'local', state: 'FINISHED', exit_code: 0, ref: branch });
    expect(run.app_id).toMatch(/^local-/);
    expect(run.metrics?.jobs).toBeGreaterThan(0);
    const onBranch = await call<{ tables: string[] }>(
      icebergListTables,
      { namespace: ns, ref: branch },
      lake.ctx,
    );
    expect(onBranch.tables).toContain(`${ns}.by_weather`);
    // Main never got the derived table (nor, on Nessie, the namespace's tables).
    const onMain = await call<{ tables: string[] }>(icebergListTables, { namespace: ns }, lake.ctx).catch(
      () => ({ tables: [] as string[] }),
    );
    expect(onMain.tables).not.toContain(`${ns}.by_weather`);
    const read = await call<{ row_count: number }>(
      icebergQueryTable,
      { table: `${ns}.by_weather`, ref: branch },
      lake.ctx,
    );
    expect(read.row_count).toBe(WEATHER_KINDS);
  }, 300_000);

  it('reports a failing job with its error lines and log path', async () => {
    lake.ws.write(
      'jobs/fail.py',
      'from pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate()\nraise ValueError("boom-42 in the job")\n',
    );
    const error = await callError(sparkSubmit, { file: 'jobs/fail.py' }, lake.ctx);
    expect(error.code).toBe('query_error');
    expect(error.message).toContain('FAILED');
    expect(error.message).toContain('ValueError: boom-42 in the job');
    expect(error.message).toContain('untrusted-data-');
    const logPath = /Full driver log: (\S+)/.exec(error.hint ?? '')?.[1];
    expect(logPath).toMatch(/^\.datastack\/spark\/logs\/run-.*\.log$/);
    const runId = /run-[0-9-a-f]+/.exec(logPath ?? '')?.[0] ?? '';
    const logs = await call<{ text: string; state: string }>(
      sparkLogs,
      { id: runId, errors_only: true },
      lake.ctx,
    );
    expect(logs.state).toBe('FAILED');
    expect(logs.text).toContain('Traceback');
    expect(logs.text).toContain('boom-42');
  }, 300_000);

  it('--track-all logs the conf (no secrets), duration, state and metrics to MLflow', async () => {
    lake.ws.write(
      'jobs/metrics.py',
      [
        'import json, os',
        'from pyspark.sql import SparkSession',
        'spark = SparkSession.builder.getOrCreate()',
        'n = spark.range(0, 1000).filter("id % 7 = 0").count()',
        'json.dump({"multiples": n}, open(os.environ["DATASTACK_SPARK_METRICS_FILE"], "w"))',
      ].join('\n'),
    );
    const run = await call<Run>(sparkSubmit, { file: 'jobs/metrics.py', track_all: true }, lake.ctx);
    expect(run.mlflow_run_id).toBeTruthy();
    const client = new MlflowClient({ url: lake.services.mlflow.url });
    const logged = await client.getRun(run.mlflow_run_id ?? '');
    const params = Object.fromEntries((logged.data.params ?? []).map((p) => [p.key, p.value]));
    const metrics = Object.fromEntries((logged.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(params['spark.sql.catalog.lake.type']).toBe('rest');
    expect(params.master).toBe('local[*]');
    expect(JSON.stringify(params)).not.toContain(lake.services.s3.secretAccessKey);
    expect(metrics.duration_ms).toBeGreaterThan(0);
    expect(metrics.multiples).toBe(143);
    expect(metrics['spark.jobs']).toBeGreaterThan(0);
    expect(logged.info.status).toBe('FINISHED');
  }, 300_000);
});

describe('spark_submit on the standalone cluster (REST submission API)', () => {
  it('reaches FINISHED; status and application info are right', async () => {
    lake.ws.write(
      'jobs/count.py',
      `from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\nprint("rows", spark.table("${ns}.weather").count())\n`,
    );
    const run = await call<Run>(
      sparkSubmit,
      { file: 'jobs/count.py', master: MASTER, ref: branch },
      lake.ctx,
    );
    expect(run).toMatchObject({ mode: 'cluster', state: 'FINISHED' });
    expect(run.submission_id).toMatch(/^driver-/);
    expect(run.app_id).toMatch(/^app-/);
    const status = await call<{ state: string; app_id?: string }>(
      sparkStatus,
      { id: run.submission_id },
      lake.ctx,
    );
    expect(status).toMatchObject({ state: 'FINISHED', app_id: run.app_id });
    const app = await call<{
      application: { source: string; jobs: unknown[]; executors: Array<{ id: string }> };
    }>(sparkApplications, { app_id: run.app_id }, lake.ctx);
    expect(app.application.source).toBe('event-log');
    expect(app.application.jobs.length).toBeGreaterThan(0);
    expect(app.application.executors.some((e) => e.id !== 'driver')).toBe(true);
    const logs = await call<{ text: string }>(sparkLogs, { id: run.run_id }, lake.ctx);
    expect(logs.text).toContain('rows 1461');
    const master = await masterState();
    expect(master.completeddrivers.find((d) => d.id === run.submission_id)?.state).toBe('FINISHED');
  }, 300_000);

  it('spark_kill ends a long job on the master', async () => {
    lake.ws.write(
      'jobs/slow.py',
      'import time\nfrom pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\nfor _ in range(600):\n    spark.range(0, 1000).count()\n    time.sleep(1)\n',
    );
    const submitted = callError(sparkSubmit, { file: 'jobs/slow.py', master: MASTER }, lake.ctx);
    let submission: string | undefined;
    for (let i = 0; i < 120 && !submission; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const running = listRuns(lake.ctx).find(
        (r) => r.file === 'jobs/slow.py' && r.state === 'RUNNING' && r.app_id,
      );
      submission = running?.submission_id;
    }
    expect(submission).toMatch(/^driver-/);
    const killed = await call<{ killed: boolean }>(sparkKill, { id: submission }, lake.ctx);
    expect(killed.killed).toBe(true);
    const error = await submitted;
    expect(error.message).toContain('KILLED');
    expect(findRun(lake.ctx, submission ?? '')?.state).toBe('KILLED');
    const master = await masterState();
    expect(master.activedrivers.map((d) => d.id)).not.toContain(submission);
    expect(master.completeddrivers.find((d) => d.id === submission)?.state).toBe('KILLED');
  }, 300_000);
});

describe('query.engine: spark', () => {
  it('answers like DuckDB over the same data', async () => {
    const onMain = unique();
    await call(icebergCreateNamespace, { namespace: onMain }, lake.ctx);
    await call(
      icebergCreateTable,
      { table: `${onMain}.weather`, dataset: 'data/seattle-weather.csv', load: true },
      lake.ctx,
    );
    const spark = await lake.context({ query: { engine: 'spark' } });
    type Answer = {
      rows: Array<{ weather: string; days: number }>;
      row_count: number;
      columns: Array<{ name: string }>;
    };
    const bySpark = await call<Answer>(
      querySql,
      { sql: `select weather, count(*) as days from ${onMain}.weather group by weather order by weather` },
      spark,
    );
    const byDuck = await call<Answer>(
      querySql,
      {
        sql: `select weather, count(*) as days from 'data/seattle-weather.csv' group by weather order by weather`,
      },
      lake.ctx,
    );
    expect(bySpark.columns.map((c) => c.name)).toEqual(['weather', 'days']);
    expect(bySpark.row_count).toBe(WEATHER_KINDS);
    expect(bySpark.rows.map((r) => [r.weather, Number(r.days)])).toEqual(
      byDuck.rows.map((r) => [r.weather, Number(r.days)]),
    );
    const refused = await callError(querySql, { sql: `drop table ${onMain}.weather` }, spark);
    expect(refused.code).toBe('read_only');
  }, 300_000);
});

describe('datastack spark (CLI)', () => {
  it('submits, lists and shows a job end to end', async () => {
    lake.ws.write(
      'jobs/hello.py',
      'from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\nprint("hello", spark.range(5).count())\n',
    );
    const submitted = await runCli(['spark', 'submit', 'jobs/hello.py', '--json'], {
      cwd: lake.ws.root,
      env: { HOME: process.env.HOME },
      timeoutMs: 240_000,
    });
    expect(submitted.code, submitted.stderr).toBe(0);
    const run = JSON.parse(submitted.stdout) as Run;
    expect(run.state).toBe('FINISHED');
    const listed = await runCli(['spark', 'applications'], {
      cwd: lake.ws.root,
      env: { HOME: process.env.HOME },
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(run.app_id ?? '?');
    const logs = await runCli(['spark', 'logs', run.run_id], {
      cwd: lake.ws.root,
      env: { HOME: process.env.HOME },
    });
    expect(logs.stdout).toContain('hello 5');
  }, 300_000);
});
