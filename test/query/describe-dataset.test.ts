import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { queryDescribe } from '../../tools/query/describe-dataset.js';
import { contextFor } from '../helpers/workspace.js';
import {
  BIG_ROWS,
  call,
  callError,
  countRows,
  makeQueryWorkspace,
  VEGA_DATA,
  type QueryWorkspace,
} from './fixtures.js';

type DescribeOutput = {
  dataset: string;
  format: string;
  bytes: number;
  row_count: number;
  columns: Array<{ name: string; type: string }>;
};

let ws: QueryWorkspace;
let ctx: ToolContext;
const describeDataset = (dataset: string) => call<DescribeOutput>(queryDescribe, { dataset }, ctx);

beforeAll(async () => {
  ws = await makeQueryWorkspace();
  ws.write('notes.txt', 'not data\n');
  ws.write('events.jsonl', '{"kind":"click","n":1}\n{"kind":"view","n":2}\n{"kind":"click","n":null}\n');
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

describe('query_describe', () => {
  it('describes the generated 1M-row Parquet file', async () => {
    const out = await describeDataset('big.parquet');
    expect(out).toMatchObject({ dataset: 'big.parquet', format: 'parquet', row_count: BIG_ROWS });
    expect(out.bytes).toBeGreaterThan(1000);
    expect(out.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'v', type: 'INTEGER' },
      { name: 'x', type: 'DOUBLE' },
      { name: 'cat', type: 'VARCHAR' },
      { name: 'flag', type: 'BOOLEAN' },
      { name: 'day', type: 'DATE' },
    ]);
    const text = outputText(queryDescribe, out);
    expect(text).toContain('big.parquet: parquet');
    expect(text).toContain('1,000,000 rows, 6 columns');
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>\nid BIGINT\n/);
  });

  it('counts rows of real CSV and JSON files', async () => {
    const csv = await describeDataset('data/seattle-weather.csv');
    expect(csv.format).toBe('csv');
    expect(csv.row_count).toBe(await countRows(join(VEGA_DATA, 'seattle-weather.csv')));
    expect(csv.columns.find((c) => c.name === 'date')?.type).toBe('DATE');
    expect(csv.columns.find((c) => c.name === 'weather')?.type).toBe('VARCHAR');

    const json = await describeDataset('data/cars.json');
    expect(json).toMatchObject({ format: 'json', row_count: await countRows(join(VEGA_DATA, 'cars.json')) });
    expect(json.columns.map((c) => c.name)).toContain('Horsepower');

    const lines = await describeDataset('events.jsonl');
    expect(lines).toMatchObject({ format: 'json', row_count: 3 });
    expect(lines.columns).toEqual([
      { name: 'kind', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
    ]);
  });

  it('gives clear errors for a missing file, an unsupported format and an escape', async () => {
    const missing = await callError(queryDescribe, { dataset: 'data/nope.csv' }, ctx);
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('data/nope.csv');
    expect(missing.hint).toContain('datastack query list-datasets');

    const text = await callError(queryDescribe, { dataset: 'notes.txt' }, ctx);
    expect(text.code).toBe('invalid_input');
    expect(text.message).toContain('notes.txt');

    const folder = await callError(queryDescribe, { dataset: 'data' }, ctx);
    expect(folder.code).toBe('invalid_input');

    const escape = await callError(queryDescribe, { dataset: '../outside.csv' }, ctx);
    expect(escape.code).toBe('outside_workspace');
    const absolute = await callError(queryDescribe, { dataset: '/etc/passwd' }, ctx);
    expect(absolute.code).toBe('outside_workspace');

    const none = await callError(queryDescribe, {}, ctx);
    expect(none.code).toBe('invalid_input');
  });
});
