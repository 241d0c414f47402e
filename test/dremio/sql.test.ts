/** dremio_sql against the documented-API fake (test/fakes/dremio-server.ts): jobs, pages, caps, faults. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { dremioSql } from '../../tools/dremio/run-sql.js';
import type { DremioSqlResult } from '../../tools/dremio/sql-output.js';
import { SLOW_MARKER } from '../fakes/dremio-server.js';
import { call, callError, cancelCalls, duckDbRows, startDremioSetup, type DremioSetup } from './fixtures.js';

let setup: DremioSetup;
beforeAll(async () => {
  setup = await startDremioSetup();
});
afterAll(() => setup.close());

const FLIGHTS_ORDER = 'ORDER BY origin, destination, delay, distance';
const sql = async (input: Record<string, unknown>) =>
  call<DremioSqlResult>(dremioSql, input, await setup.context());

describe('dremio_sql', () => {
  it('submits, polls until COMPLETED and pages past 500 rows, matching DuckDB on the same file', async () => {
    const out = await sql({
      sql: `SELECT origin, destination, delay, distance FROM Samples.vega."flights-2k.json" ${FLIGHTS_ORDER}`,
      max_rows: 5000,
    });
    const expected = await duckDbRows(
      `SELECT origin, destination, delay, distance FROM read_json('VEGA/flights-2k.json') ${FLIGHTS_ORDER}`,
    );
    expect(expected).toHaveLength(2000);
    expect(out.row_count).toBe(2000);
    expect(out.truncated).toBe(false);
    expect(out.rows).toEqual(expected);
    expect(out.columns).toEqual([
      { name: 'origin', type: 'VARCHAR' },
      { name: 'destination', type: 'VARCHAR' },
      { name: 'delay', type: 'BIGINT' },
      { name: 'distance', type: 'BIGINT' },
    ]);

    const job = setup.fake.jobs.get(out.job_id);
    expect(job?.state).toBe('COMPLETED');
    expect(job?.polls).toBeGreaterThanOrEqual(2);
    const pages = setup.fake.requests.filter((r) => r.path.startsWith(`/api/v3/job/${out.job_id}/results`));
    expect(pages.map((r) => r.path.replace(/^.*\?/, ''))).toEqual([
      'offset=0&limit=500',
      'offset=500&limit=500',
      'offset=1000&limit=500',
      'offset=1500&limit=500',
    ]);
  });

  it('caps the rows shown, counts them all, and fences them for the model', async () => {
    const out = await sql({ sql: 'SELECT "Title" FROM Samples.vega."movies.json"', max_rows: 3 });
    const [count] = await duckDbRows(`SELECT count(*) AS n FROM read_json('VEGA/movies.json')`);
    expect(out.row_count).toBe(count?.n);
    expect(out.rows).toHaveLength(3);
    expect(out.truncated).toBe(true);
    const pages = setup.fake.requests.filter((r) => r.path.startsWith(`/api/v3/job/${out.job_id}/results`));
    expect(pages.map((r) => r.path.replace(/^.*\?/, ''))).toEqual(['offset=0&limit=3']);
    const text = outputText(dremioSql, out);
    expect(text).toContain(
      `Showing 3 of ${Number(count?.n).toLocaleString('en-US')} rows; full result: save_as=parquet`,
    );
    expect(text).toMatch(/<(untrusted-data-[0-9a-f]+)>\nschema: Title VARCHAR\nTitle\n[\s\S]*<\/\1>$/);
  });

  it('runs in a context, drops a trailing semicolon, and reads an empty result with its schema', async () => {
    const out = await sql({ sql: 'SELECT count(*) AS n FROM "cars.json";', context: 'Samples.vega' });
    const [expected] = await duckDbRows(`SELECT count(*) AS n FROM read_json('VEGA/cars.json')`);
    expect(out.rows).toEqual([{ n: expected?.n }]);

    const empty = await sql({ sql: `SELECT weather FROM Samples.vega."seattle-weather.csv" WHERE 1 = 0` });
    expect(empty).toMatchObject({ row_count: 0, rows: [], truncated: false, columns: [{ name: 'weather' }] });
  });

  it('saves every row to Parquet and CSV files that read back whole', async () => {
    const query = `SELECT origin, delay, distance FROM Samples.vega."flights-2k.json" ${FLIGHTS_ORDER.replace('destination, ', '')}`;
    const parquet = await sql({ sql: query, max_rows: 2, save_as: 'parquet' });
    expect(parquet.rows).toHaveLength(2);
    expect(parquet.result_file).toMatch(/^\.datastack\/results\/dremio-.*\.parquet$/);
    const file = join(setup.ws.root, parquet.result_file ?? '');
    const [back] = await duckDbRows(
      `SELECT count(*) AS n, sum(delay) AS delays, count(DISTINCT origin) AS origins FROM '${file}'`,
    );
    const [truth] = await duckDbRows(
      `SELECT count(*) AS n, sum(delay) AS delays, count(DISTINCT origin) AS origins FROM read_json('VEGA/flights-2k.json')`,
    );
    expect(back).toEqual(truth);
    const types = await duckDbRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${file}')`);
    expect(types.map((t) => t.column_type)).toEqual(['VARCHAR', 'BIGINT', 'BIGINT']);
    expect(outputText(dremioSql, parquet)).toContain(`full result: ${parquet.result_file}`);

    const csv = await sql({ sql: query, save_as: 'csv' });
    const [rows] = await duckDbRows(
      `SELECT count(*) AS n FROM read_csv('${join(setup.ws.root, csv.result_file ?? '')}')`,
    );
    expect(rows?.n).toBe(2000);
  });

  it("reports a failed job with Dremio's error message", async () => {
    const error = await callError(
      dremioSql,
      { sql: 'SELECT * FROM Samples.vega.no_such_table' },
      await setup.context(),
    );
    expect(error.code).toBe('query_error');
    expect(error.message).toMatch(/^Dremio job [0-9a-f-]+ failed: .*no_such_table/);
    expect(error.hint).toMatch(/dremio_catalog/);
    const failed = [...setup.fake.jobs.values()].find((job) => job.sql.includes('no_such_table'));
    expect(failed?.state).toBe('FAILED');
  });

  it('cancels the job on Dremio when the call is aborted mid-job', async () => {
    const controller = new AbortController();
    const ctx = await setup.context(
      {},
      {
        signal: controller.signal,
        progress: (update) => {
          if (update.message?.endsWith('running')) controller.abort();
        },
      },
    );
    const error = await callError(dremioSql, { sql: `SELECT 1 AS one ${SLOW_MARKER}` }, ctx);
    expect(error.code).toBe('aborted');
    const job = [...setup.fake.jobs.values()].find((j) => j.sql.includes('SELECT 1 AS one'));
    // The tool's own cancellation message says what it did on the engine.
    expect(error.message).toBe(`Cancelled; Dremio job ${job?.id} was cancelled too`);
    expect(cancelCalls(setup.fake)).toContain(job?.id);
    expect(job?.state).toBe('CANCELED');
  });

  it('cancels the job on Dremio when the timeout passes', async () => {
    const error = await callError(
      dremioSql,
      { sql: `SELECT 2 AS two ${SLOW_MARKER}`, timeout_s: 1 },
      await setup.context(),
    );
    expect(error.code).toBe('timeout');
    expect(error.hint).toMatch(/timeout_s/);
    const job = [...setup.fake.jobs.values()].find((j) => j.sql.includes('SELECT 2 AS two'));
    expect(job?.state).toBe('CANCELED');
    expect(cancelCalls(setup.fake)).toContain(job?.id);
  });

  it('refuses writes unless query.allow_writes, before reaching Dremio', async () => {
    const before = setup.fake.requests.length;
    const error = await callError(dremioSql, { sql: 'CREATE TABLE x AS SELECT 1' }, await setup.context());
    expect(error.code).toBe('read_only');
    expect(error.hint).toMatch(/query\.allow_writes/);
    expect(setup.fake.requests.length).toBe(before);
    const two = await callError(dremioSql, { sql: 'SELECT 1; SELECT 2' }, await setup.context());
    expect(two.code).toBe('invalid_input');
  });
});
