import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ProgressUpdate, ToolContext } from '../../tools/core/types.js';
import { queryProfile } from '../../tools/query/profile-dataset.js';
import { contextFor } from '../helpers/workspace.js';
import { BIG_ROWS, call, callError, makeQueryWorkspace, type QueryWorkspace } from './fixtures.js';

type Profile = {
  name: string;
  type: string;
  null_count: number;
  null_pct: number;
  distinct?: number;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  quantiles?: Record<'p05' | 'p25' | 'p50' | 'p75' | 'p95', number>;
  top_values?: Array<{ value: string | number | boolean; count: number }>;
};
type ProfileOutput = { dataset: string; row_count: number; columns: Profile[]; elapsed_ms: number };

let ws: QueryWorkspace;
let ctx: ToolContext;
const progress: ProgressUpdate[] = [];

beforeAll(async () => {
  ws = await makeQueryWorkspace();
  ctx = await contextFor(ws.root, { progress: (update) => progress.push(update) });
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const byName = (out: ProfileOutput, name: string) => {
  const column = out.columns.find((c) => c.name === name);
  if (!column) throw new Error(`no column ${name}`);
  return column;
};

describe('query_profile on the 1M-row file', () => {
  let out: ProfileOutput;
  beforeAll(async () => {
    progress.length = 0;
    out = await call<ProfileOutput>(queryProfile, { dataset: 'big.parquet', top_n: 3 }, ctx);
  });

  it('counts rows and nulls exactly', () => {
    expect(out.row_count).toBe(BIG_ROWS);
    expect(out.columns.map((c) => c.name)).toEqual(['id', 'v', 'x', 'cat', 'flag', 'day']);
    expect(byName(out, 'id')).toMatchObject({ type: 'BIGINT', null_count: 0, null_pct: 0 });
    expect(byName(out, 'v')).toMatchObject({ type: 'INTEGER', null_count: 100_000, null_pct: 10 });
  });

  it('gives min, max, mean and std of numeric columns', () => {
    const id = byName(out, 'id');
    expect(id).toMatchObject({ min: 0, max: 999_999, mean: 499_999.5 });
    // Standard deviation of 0..n-1 is sqrt((n^2 - 1) / 12) (sample: n / (n - 1) times the variance).
    expect(id.std).toBeCloseTo(Math.sqrt(((BIG_ROWS * BIG_ROWS - 1) / 12) * (BIG_ROWS / (BIG_ROWS - 1))), 3);
    expect(byName(out, 'v')).toMatchObject({ min: 1, max: 99, mean: 50 });
    expect(byName(out, 'x')).toMatchObject({ min: 0, max: 999.999 });
    expect(byName(out, 'x').mean).toBeCloseTo(499.9995, 6);
  });

  it('gives approximate quantiles and exact distinct counts', () => {
    const q = byName(out, 'id').quantiles;
    expect(q).toBeDefined();
    const expected = { p05: 50_000, p25: 250_000, p50: 500_000, p75: 750_000, p95: 950_000 };
    for (const [key, value] of Object.entries(expected)) {
      expect(Math.abs((q?.[key as keyof typeof expected] ?? 0) - value), key).toBeLessThan(BIG_ROWS * 0.01);
    }
    expect(byName(out, 'id').distinct).toBe(BIG_ROWS);
    expect(byName(out, 'cat').distinct).toBe(3);
    expect(byName(out, 'flag').distinct).toBe(2);
    expect(byName(out, 'v').distinct).toBe(90);
  });

  it('lists top values with exact counts for low-cardinality columns only', () => {
    expect(byName(out, 'cat').top_values).toEqual([
      { value: 'a', count: 500_000 },
      { value: 'b', count: 300_000 },
      { value: 'c', count: 200_000 },
    ]);
    expect(byName(out, 'flag').top_values).toEqual([
      { value: false, count: 750_000 },
      { value: true, count: 250_000 },
    ]);
    expect(byName(out, 'v').top_values).toHaveLength(3);
    expect(byName(out, 'v').top_values?.[0]?.count).toBe(10_000);
    expect(byName(out, 'id').top_values).toBeUndefined();
  });

  it('profiles dates as text bounds', () => {
    expect(byName(out, 'day')).toMatchObject({
      type: 'DATE',
      min: '2020-01-01',
      max: '2020-12-31',
      null_count: 0,
    });
    expect(byName(out, 'day').mean).toBeUndefined();
  });

  it('reports progress per phase and fences the text', () => {
    const messages = progress.map((p) => p.message);
    expect(messages).toEqual(['reading schema', 'counting and summarising', 'top values', 'done']);
    expect(progress.every((p) => p.total === 3)).toBe(true);
    const text = outputText(queryProfile, out);
    expect(text).toContain('big.parquet: 1,000,000 rows, 6 columns profiled');
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>\nid BIGINT: nulls 0 \(0%\)/);
    expect(text).toContain(
      'cat VARCHAR: nulls 0 (0%); 3 distinct; min a; max c; top a (500,000), b (300,000), c (200,000)',
    );
  });
});

describe('query_profile options and errors', () => {
  it('profiles a subset of columns', async () => {
    const out = await call<ProfileOutput>(
      queryProfile,
      { dataset: 'big.parquet', columns: ['v', 'cat'], top_n: 1 },
      ctx,
    );
    expect(out.columns.map((c) => c.name)).toEqual(['v', 'cat']);
    expect(byName(out, 'cat').top_values).toEqual([{ value: 'a', count: 500_000 }]);
  });

  it('profiles a real CSV file', async () => {
    const out = await call<ProfileOutput>(queryProfile, { dataset: 'data/seattle-weather.csv' }, ctx);
    const weather = byName(out, 'weather');
    expect(weather.top_values?.length).toBe(5);
    const total = weather.top_values?.reduce((sum, t) => sum + t.count, 0) ?? 0;
    expect(total).toBeLessThanOrEqual(out.row_count);
    expect(byName(out, 'temp_max').mean).toBeGreaterThan(0);
    expect(byName(out, 'date').min).toBe('2012-01-01');
  });

  it('refuses unknown columns, missing files and escapes', async () => {
    const unknown = await callError(queryProfile, { dataset: 'big.parquet', columns: ['nope'] }, ctx);
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.hint).toContain('id, v, x, cat, flag, day');
    expect((await callError(queryProfile, { dataset: 'missing.parquet' }, ctx)).code).toBe('not_found');
    expect((await callError(queryProfile, { dataset: '../x.csv' }, ctx)).code).toBe('outside_workspace');
    expect((await callError(queryProfile, { dataset: 'big.parquet', top_n: 500 }, ctx)).code).toBe(
      'invalid_input',
    );
  });
});
