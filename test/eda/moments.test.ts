/**
 * The numbers the second scan derives instead of asking DuckDB for them directly: histogram bins
 * on decimal data, and std, skewness and correlations (with NULLs) from centred sums, checked
 * against DuckDB's own stddev_samp, skewness and corr on the same file.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import type { Analysis } from '../../tools/eda/analysis.js';
import { analyzeDataset } from '../../tools/eda/analyze.js';
import { contextFor } from '../helpers/workspace.js';
import { makeEdaWorkspace, writeSql, type EdaWorkspace } from './fixtures.js';

let ws: EdaWorkspace;
let ctx: ToolContext;
let analysis: Analysis;

// 4,100 rows: a 1-decimal score 1.0…5.0 (100 rows each), and a, b with NULLs, c without.
const SQL = `SELECT round(1 + (range % 41) * 0.1, 1) AS score,
  CASE WHEN range % 7 = 0 THEN NULL ELSE range * 0.5 + (range * 7919 % 101) END AS a,
  CASE WHEN range % 5 = 0 THEN NULL ELSE (range % 13) * 2.0 + (range % 3) END AS b,
  ((range * 104729) % 1009) / 10.0 AS c
FROM range(4100)`;

beforeAll(async () => {
  ws = await makeEdaWorkspace();
  ctx = await contextFor(ws.root);
  await writeSql(`${ws.root}/data/moments.csv`, SQL);
  analysis = await analyzeDataset({ dataset: 'data/moments.csv', bins: 20 }, ctx);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const column = (name: string) => analysis.columns.find((c) => c.name === name);

describe('the second scan', () => {
  it('puts each decimal value in the bin whose [lo, hi) holds it', () => {
    const bins = column('score')?.histogram?.bins ?? [];
    expect(bins).toHaveLength(20);
    // 1.0–1.1 | 1.2–1.3 | … | 4.6–4.7 | 4.8–5.0: two values a bin, three in the last.
    expect(bins.map((b) => b.count)).toEqual([...Array<number>(19).fill(200), 300]);
    expect(bins[19]?.lo).toBe(4.8);
  });

  it('gives the std, skewness and correlations DuckDB gives', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      `SELECT stddev_samp(a), skewness(a), stddev_samp(b), skewness(b), stddev_samp(c), corr(a, b), corr(a, c), corr(b, c), corr(score, c)
       FROM '${ws.root}/data/moments.csv'`,
    );
    const [sa, ka, sb, kb, sc, ab, ac, bc, sc2] = (reader.getRows()[0] ?? []).map(Number);
    connection.closeSync();
    instance.closeSync();
    expect(column('a')?.std).toBeCloseTo(sa ?? NaN, 9);
    expect(column('a')?.skew).toBeCloseTo(ka ?? NaN, 9);
    expect(column('b')?.std).toBeCloseTo(sb ?? NaN, 9);
    expect(column('b')?.skew).toBeCloseTo(kb ?? NaN, 9);
    expect(column('c')?.std).toBeCloseTo(sc ?? NaN, 9);
    const { names, matrix } = analysis.correlation;
    const r = (x: string, y: string) => matrix[names.indexOf(x)]?.[names.indexOf(y)];
    expect(r('a', 'b')).toBeCloseTo(ab ?? NaN, 9);
    expect(r('a', 'c')).toBeCloseTo(ac ?? NaN, 9);
    expect(r('b', 'c')).toBeCloseTo(bc ?? NaN, 9);
    expect(r('score', 'c')).toBeCloseTo(sc2 ?? NaN, 9);
    expect(r('c', 'c')).toBe(1);
  });
});
