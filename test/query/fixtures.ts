/**
 * Workspaces for the query tests: real public datasets from vega-datasets (CSV, JSON, Parquet),
 * and a generated 1,000,000-row Parquet file whose columns have known statistics. Generation uses
 * a separate, unrestricted DuckDB instance, as a user's own tooling would.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

export const VEGA_DATA = fileURLToPath(new URL('../../node_modules/vega-datasets/data', import.meta.url));

/** Rows in big.parquet. */
export const BIG_ROWS = 1_000_000;

/**
 * big.parquet, for i in 0..999,999:
 * - id BIGINT = i: min 0, max 999,999, mean 499,999.5, no nulls
 * - v INTEGER = i % 100, NULL when i % 10 = 0: 100,000 nulls; others 1..99 without multiples of 10 (mean 50)
 * - x DOUBLE = i / 1000
 * - cat VARCHAR: 'a' for i % 10 < 5, 'b' for < 8, 'c' otherwise (500,000 / 300,000 / 200,000)
 * - flag BOOLEAN = i % 4 = 0 (250,000 true)
 * - day DATE = 2020-01-01 + i % 366 (2020-01-01 … 2020-12-31)
 */
export const BIG_SQL = `
  SELECT range AS id,
         CASE WHEN range % 10 = 0 THEN NULL ELSE (range % 100)::INTEGER END AS v,
         range / 1000 AS x,
         CASE WHEN range % 10 < 5 THEN 'a' WHEN range % 10 < 8 THEN 'b' ELSE 'c' END AS cat,
         range % 4 = 0 AS flag,
         (DATE '2020-01-01' + (range % 366)::INTEGER) AS day
  FROM range(${BIG_ROWS})`;

export async function writeBigParquet(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${BIG_SQL}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows of the vega files the tests use (counted independently with the unrestricted DuckDB). */
export async function countRows(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT count(*) FROM '${path.replace(/'/g, "''")}'`);
    return Number(reader.getRows()[0]?.[0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface QueryWorkspace extends TempWorkspace {
  big: string;
}

/** A workspace with data/{seattle-weather.csv, cars.json, flights-3m.parquet} and big.parquet. */
export async function makeQueryWorkspace(
  options: { big?: boolean; yaml?: string } = {},
): Promise<QueryWorkspace> {
  const ws = makeWorkspace(options.yaml ? { 'datastack.yaml': options.yaml } : {});
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  for (const file of ['seattle-weather.csv', 'cars.json', 'flights-3m.parquet']) {
    copyFileSync(join(VEGA_DATA, file), join(ws.root, 'data', file));
  }
  const big = join(ws.root, 'big.parquet');
  if (options.big !== false) await writeBigParquet(big);
  return { ...ws, big };
}

/** Runs a tool through invokeTool (so its input is validated) and returns the output or throws. */

/** Runs a tool and returns the ToolError it failed with (fails the test when it succeeds). */
