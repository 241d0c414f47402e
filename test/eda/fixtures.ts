/**
 * Workspaces for the EDA tests: real public datasets from vega-datasets, and a generated dataset
 * whose answers are known (a constant column, copies of the target, an imbalanced class, duplicate
 * columns, clean columns that must not be flagged). Generated with a separate, unrestricted DuckDB,
 * as a user's own tooling would.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { VEGA_DATA } from '../query/fixtures.js';

export { call, callError, VEGA_DATA } from '../query/fixtures.js';

export const KNOWN_ROWS = 20_000;

/** A uniform number in [0, 1) from the row number and a salt: deterministic "noise". */
const u = (salt: number) => `((hash(range * ${salt} + ${salt}) % 1000000)::DOUBLE / 1000000)`;

/**
 * known.parquet, for range = 0 … 19,999:
 * - id: the row number (an identifier)
 * - near_id: the row number, but row 5 holds 4 (same range and count as an identifier; not one)
 * - label: 'yes' on every 20th row, else 'no' (exactly 5% / 95%): the class target
 * - label_copy: label again (identical to the target: leakage)
 * - label_code: 1 for yes, 0 for no (a function of the target: leakage)
 * - segment: 'S0'…'S2' for yes rows, 'N0'…'N4' for no rows (each value in one class: leakage)
 * - score: 10 + noise for yes, noise for no (class ranges do not overlap)
 * - constant: always 'same'
 * - x1: uniform noise, and x1_dup: the same values (duplicate columns)
 * - x2: the sum of three uniforms (clean, symmetric)
 * - category: 'a'…'d' from noise (clean categorical)
 * - amount: exp(10 * uniform) (right-skewed, skewness 2.6)
 * - y: 2 * x2 + 3.46 * uniform (a regression target, r ≈ 0.7 with x2)
 * - y_leak: 2 * y + 1 (perfectly correlated with y)
 * - day: 2020-01-01 + range % 365 (dates, not a time index)
 */
export const KNOWN_SQL = `
  SELECT range AS id,
         CASE WHEN range = 5 THEN 4 ELSE range END AS near_id,
         CASE WHEN range % 20 = 0 THEN 'yes' ELSE 'no' END AS label,
         CASE WHEN range % 20 = 0 THEN 'yes' ELSE 'no' END AS label_copy,
         CASE WHEN range % 20 = 0 THEN 1 ELSE 0 END AS label_code,
         CASE WHEN range % 20 = 0 THEN 'S' || (range // 20 % 3) ELSE 'N' || (range % 5) END AS segment,
         CASE WHEN range % 20 = 0 THEN 10 ELSE 0 END + ${u(11)} AS score,
         'same' AS constant,
         ${u(3)} AS x1,
         ${u(3)} AS x1_dup,
         ${u(5)} + ${u(7)} + ${u(13)} AS x2,
         chr(97 + (hash(range * 17) % 4)::INTEGER) AS category,
         exp(10 * ${u(19)}) AS amount,
         2 * (${u(5)} + ${u(7)} + ${u(13)}) + 3.46 * ${u(23)} AS y,
         2 * (2 * (${u(5)} + ${u(7)} + ${u(13)}) + 3.46 * ${u(23)}) + 1 AS y_leak,
         DATE '2020-01-01' + (range % 365)::INTEGER AS day
  FROM range(${KNOWN_ROWS})`;

async function duckdb<T>(fn: (run: (sql: string) => Promise<void>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(async (sql) => {
      await connection.run(sql);
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const quote = (path: string) => `'${path.replace(/'/g, "''")}'`;

export async function writeKnown(path: string, format: 'parquet' | 'csv' = 'parquet'): Promise<void> {
  await duckdb((run) => run(`COPY (${KNOWN_SQL}) TO ${quote(path)} (FORMAT ${format})`));
}

/** Writes the result of `sql` to a CSV (or Parquet, by extension) with a plain DuckDB. */
export async function writeSql(path: string, sql: string): Promise<void> {
  const format = path.endsWith('.parquet') ? 'parquet' : 'csv';
  await duckdb((run) => run(`COPY (${sql}) TO ${quote(path)} (FORMAT ${format})`));
}

export interface EdaWorkspace extends TempWorkspace {
  read(path: string): string;
}

/** data/{seattle-weather.csv, cars.json, penguins.json, flights-3m.parquet} and data/known.parquet. */
export async function makeEdaWorkspace(options: { flights?: boolean } = {}): Promise<EdaWorkspace> {
  const ws = makeWorkspace();
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  const files = [
    'seattle-weather.csv',
    'cars.json',
    'penguins.json',
    ...(options.flights ? ['flights-3m.parquet'] : []),
  ];
  for (const file of files) copyFileSync(join(VEGA_DATA, file), join(ws.root, 'data', file));
  await writeKnown(join(ws.root, 'data', 'known.parquet'));
  return { ...ws, read: (path) => readFileSync(join(ws.root, path), 'utf8') };
}

export interface FindingLike {
  severity: string;
  kind: string;
  columns: string[];
  message: string;
}

export interface ReportOutput {
  report: string;
  dataset: string;
  rows: number;
  columns: number;
  task: string;
  target?: string;
  findings: FindingLike[];
  more_findings?: number;
  suggestions: Array<{ kind: string; columns: string[]; message: string }>;
  models: { algorithms: string[]; metrics: string[]; validation: string };
  timings: Record<string, number>;
}

/** The HTML between `<section id="name"` and its `</section>`. */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start));
}

export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
