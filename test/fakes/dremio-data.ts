/**
 * The data behind test/fakes/dremio-server.ts: a DuckDB database laid out like the fake's Dremio
 * catalog (catalog = source or space, schema = folder), the `sys.jobs_recent` system table, and
 * DuckDB answers converted to Dremio's JSON (its type names, numbers as numbers).
 */
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const FAKE_USER = 'analyst';
export const VEGA_DATA = fileURLToPath(new URL('../../node_modules/vega-datasets/data', import.meta.url));
export const SAMPLE_FILES = ['flights-2k.json', 'movies.json', 'seattle-weather.csv', 'cars.json'];

export const VIEW_SQL =
  'SELECT weather, count(*) AS days, avg(temp_max) AS avg_temp_max FROM Samples.vega."seattle-weather.csv" GROUP BY weather';

export interface Field {
  name: string;
  type: { name: string; precision?: number; scale?: number };
}

export interface FakeJob {
  id: string;
  sql: string;
  state: string;
  polls: number;
  submitted: Date;
  finished?: Date;
  outcome?: { rows: Array<Record<string, unknown>>; schema: Field[] } | { error: string };
  cancellationReason?: string;
}

/** Source `Samples` (folder `vega`: four vega files), space `Analytics` (folder `reports`: a view). */
export async function createSampleDatabase(): Promise<DuckDBInstance> {
  const db = await DuckDBInstance.create(':memory:');
  const setup = await db.connect();
  for (const statement of [
    `ATTACH ':memory:' AS "Samples"`,
    'CREATE SCHEMA "Samples".vega',
    `ATTACH ':memory:' AS "Analytics"`,
    'CREATE SCHEMA "Analytics".reports',
    'CREATE SCHEMA sys',
    `CREATE TABLE sys.jobs_recent (job_id VARCHAR, status VARCHAR, query_type VARCHAR, user_name VARCHAR,
       submitted_ts TIMESTAMP, final_state_ts TIMESTAMP, rows_returned BIGINT, error_msg VARCHAR, query VARCHAR)`,
    ...SAMPLE_FILES.map(
      (file) =>
        `CREATE TABLE "Samples".vega.${ident(file)} AS SELECT * FROM ${file.endsWith('.csv') ? 'read_csv' : 'read_json'}('${VEGA_DATA}/${file}')`,
    ),
    `CREATE VIEW "Analytics".reports.weather_by_type AS ${VIEW_SQL}`,
  ]) {
    await setup.run(statement);
  }
  setup.closeSync();
  return db;
}

/** sys.jobs_recent as Dremio would show it now. */
export async function refreshJobsTable(
  connection: DuckDBConnection,
  jobs: Map<string, FakeJob>,
): Promise<void> {
  await connection.run('DELETE FROM sys.jobs_recent');
  for (const job of jobs.values()) {
    const error =
      job.outcome && 'error' in job.outcome ? job.outcome.error : (job.cancellationReason ?? null);
    const rows =
      job.state === 'COMPLETED' && job.outcome && 'rows' in job.outcome ? job.outcome.rows.length : 0;
    await connection.run(
      'INSERT INTO sys.jobs_recent VALUES ($1, $2, $3, $4, $5::TIMESTAMP, $6::TIMESTAMP, $7, $8, $9)',
      [
        job.id,
        job.state,
        'REST',
        FAKE_USER,
        job.submitted.toISOString().replace('T', ' ').replace('Z', ''),
        (job.finished ?? new Date(0)).toISOString().replace('T', ' ').replace('Z', ''),
        rows,
        error,
        job.sql,
      ],
    );
  }
}

/** DuckDB's answer in Dremio's JSON: its type names, numbers as numbers, timestamps with millis. */
export function dremioRows(names: string[], types: string[], rows: Array<Record<string, unknown>>) {
  const schema: Field[] = names.map((name, i) => ({ name, type: dremioType(types[i] ?? 'VARCHAR') }));
  const converted = rows.map((row) =>
    Object.fromEntries(
      names.map((name, i) => {
        const value = row[name];
        const type = schema[i]?.type.name;
        if (value === null || value === undefined) return [name, null];
        if (type === 'BIGINT' || type === 'INTEGER' || type === 'DECIMAL') return [name, Number(value)];
        if (type === 'TIMESTAMP' && typeof value === 'string' && !value.includes('.'))
          return [name, `${value}.000`];
        return [name, value];
      }),
    ),
  );
  return { rows: converted, schema };
}

function dremioType(duckdb: string): Field['type'] {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckdb);
  if (decimal) return { name: 'DECIMAL', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (duckdb.endsWith('[]')) return { name: 'LIST' };
  if (duckdb.startsWith('STRUCT')) return { name: 'STRUCT' };
  if (duckdb.startsWith('TIMESTAMP')) return { name: 'TIMESTAMP' };
  const names: Record<string, string> = {
    HUGEINT: 'BIGINT',
    UBIGINT: 'BIGINT',
    SMALLINT: 'INTEGER',
    TINYINT: 'INTEGER',
    BLOB: 'VARBINARY',
  };
  if (names[duckdb]) return { name: names[duckdb] };
  return {
    name: ['BIGINT', 'INTEGER', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'DATE', 'TIME'].includes(duckdb)
      ? duckdb
      : 'VARCHAR',
  };
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
