/** The DuckDB lock-down itself, without the path checks query_sql does before DuckDB runs. */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isToolError, type ToolError } from '../../tools/core/errors.js';
import type { ToolContext } from '../../tools/core/types.js';
import { getDuckDb, withConnection } from '../../tools/query/duckdb-client.js';
import { configFor, contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = makeWorkspace({ 'data/a.csv': 'x,y\n1,2\n3,4\n', 'data/a.json': '[{"k": "p"}, {"k": "q"}]' });
  const base = await configFor(ws.root);
  ctx = await contextFor(ws.root, { config: { ...base, query: { ...base.query, threads: 1 } } });
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const rawQuery = (sql: string) =>
  withConnection(ctx, async (connection) => (await connection.runAndReadAll(sql)).getRowsJson());

async function rawError(sql: string): Promise<ToolError> {
  try {
    await rawQuery(sql);
  } catch (error) {
    if (isToolError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('DuckDB client', () => {
  it('is created once per pool and locked down', async () => {
    expect(await getDuckDb(ctx)).toBe(await getDuckDb(ctx));
    const [row] = await rawQuery(
      `select current_setting('enable_external_access'), current_setting('lock_configuration'),
              current_setting('autoload_known_extensions'), current_setting('threads'),
              current_setting('file_search_path'), current_setting('allowed_directories')`,
    );
    expect(row?.slice(0, 5)).toEqual([false, true, false, '1', ws.root]);
    const allowed = row?.[5] as string[];
    expect(allowed).toContain(`${realpathSync(ws.root)}/`);
    expect(allowed.some((dir) => dir.startsWith(join(realpathSync(ws.root), '.datastack', 'results')))).toBe(
      true,
    );
    expect(allowed.every((dir) => dir.startsWith(realpathSync(ws.root)) || dir.startsWith(ws.root))).toBe(
      true,
    );
  });

  it('refuses files outside the workspace with outside_workspace', async () => {
    for (const sql of [
      "select * from read_csv('/etc/passwd')",
      "select * from read_text('/etc/hostname')",
      `select * from read_csv('${ws.root}/../x.csv')`,
      "select * from glob('/etc/*')",
      "select * from 'https://example.com/a.csv'",
    ]) {
      const error = await rawError(sql);
      expect(error.code, sql).toBe('outside_workspace');
      expect(error.hint).toContain('allow_outside');
    }
  });

  it('reads files inside the workspace, CSV and JSON', async () => {
    expect(await rawQuery(`select sum(x) from '${ws.root}/data/a.csv'`)).toEqual([['4']]);
    expect(await rawQuery(`select string_agg(k, '') from read_json('${ws.root}/data/a.json')`)).toEqual([
      ['pq'],
    ]);
    expect(await rawQuery(`select json_extract('{"a": 1}', '$.a')::int`)).toEqual([[1]]);
  });

  it('cannot be unlocked or extended', async () => {
    for (const sql of [
      'set enable_external_access = true',
      "set allowed_directories = ['/']",
      'reset lock_configuration',
    ]) {
      const error = await rawError(sql);
      expect(error.code, sql).toBe('query_error');
      expect(error.message).toMatch(/locked/);
    }
    expect((await rawError('load httpfs')).code).toBe('outside_workspace');
    expect((await rawError('install httpfs')).code).toBe('outside_workspace');
  });

  it('closes with its pool, and the next call opens a fresh instance', async () => {
    const pooled = await contextFor(ws.root);
    const first = await getDuckDb(pooled);
    await pooled.clients.closeAll();
    await expect(first.instance.connect()).rejects.toThrow();
    const second = await getDuckDb(pooled);
    expect(second).not.toBe(first);
    await pooled.clients.closeAll();
  });
});
