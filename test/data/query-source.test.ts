/**
 * data add --source database: a DuckDB query over a workspace CSV made into a versioned Parquet
 * file, with its SQL in the .dvc file's meta; a failing query leaves no file behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dataAdd } from '../../tools/data/add-data.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, DVC_TIMEOUT, git, makeRepo, vegaCsv } from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;
const weather = vegaCsv('seattle-weather.csv');
const sunny = weather.split('\n').filter((line) => line.endsWith(',sun')).length;

beforeAll(async () => {
  ws = makeRepo({ 'data/raw/weather.csv': weather });
  ws.write('queries/sunny.sql', "select date, temp_max from 'data/raw/weather.csv' where weather = 'sun'\n");
  ctx = await contextFor(ws.root);
}, DVC_TIMEOUT);
afterAll(() => ws?.cleanup());

describe('data add --source database', () => {
  it(
    'materialises a .sql file’s result as a versioned Parquet file with its provenance',
    async () => {
      const out = await call<{ md5: string; source: Record<string, unknown> }>(
        dataAdd,
        { source: 'database', query: 'queries/sunny.sql', out: 'data/processed/sunny.parquet' },
        ctx,
      );
      expect(out.source).toMatchObject({ source: 'database', rows: sunny, query_file: 'queries/sunny.sql' });
      const pointer = parse(readFileSync(join(ws.root, 'data/processed/sunny.parquet.dvc'), 'utf8')) as {
        outs: Array<{ md5: string; path: string }>;
        meta: { datastack: Record<string, unknown> };
      };
      expect(pointer.outs[0]).toMatchObject({ md5: out.md5, path: 'sunny.parquet' });
      expect(pointer.meta.datastack).toMatchObject({ source: 'database', rows: sunny });
      expect(String(pointer.meta.datastack.query)).toContain("where weather = 'sun'");
      expect(readFileSync(join(ws.root, 'data/processed/sunny.parquet')).subarray(0, 4).toString()).toBe(
        'PAR1',
      );
      expect(git(ws.root, ['diff', '--cached', '--name-only']).split('\n')).toContain(
        'data/processed/sunny.parquet.dvc',
      );
    },
    DVC_TIMEOUT,
  );

  it('leaves nothing behind when the query fails, and never writes over unversioned data', async () => {
    const failed = await callError(
      dataAdd,
      { source: 'database', query: "select nope from 'data/raw/weather.csv'", out: 'data/processed/bad.csv' },
      ctx,
    );
    expect(failed.code).toBe('query_error');
    expect(readdirSync(join(ws.root, 'data/processed')).sort()).toEqual([
      '.gitignore',
      'sunny.parquet',
      'sunny.parquet.dvc',
    ]);

    const notSelect = await callError(
      dataAdd,
      { source: 'database', query: 'create table t as select 1', out: 'data/processed/t.csv' },
      ctx,
    );
    expect(notSelect.code).toBe('invalid_input');
    expect(existsSync(join(ws.root, 'data/processed/t.csv'))).toBe(false);

    ws.write('data/processed/mine.csv', 'a\n1\n');
    const overwrite = await callError(
      dataAdd,
      { source: 'database', query: 'select 2 as a', out: 'data/processed/mine.csv' },
      ctx,
    );
    expect(overwrite.code).toBe('conflict');
    expect(readFileSync(join(ws.root, 'data/processed/mine.csv'), 'utf8')).toBe('a\n1\n');
  });

  it('refuses a file git already tracks, and says how to hand it over to DVC', async () => {
    const error = await callError(dataAdd, { path: 'data/raw/weather.csv' }, ctx);
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('already tracked by SCM');
    expect(error.hint).toContain('git rm -r --cached data/raw/weather.csv');
  });

  it('replaces its own earlier version, which DVC keeps', async () => {
    const first = await call<{ md5: string }>(
      dataAdd,
      { source: 'database', query: 'select 1 as a', out: 'data/processed/one.csv' },
      ctx,
    );
    const second = await call<{ md5: string; source: { rows: number } }>(
      dataAdd,
      { source: 'database', query: 'select * from range(5) t(a)', out: 'data/processed/one.csv' },
      ctx,
    );
    expect(second.source.rows).toBe(5);
    expect(second.md5).not.toBe(first.md5);
    expect(existsSync(join(ws.root, '.dvc/cache/files/md5', first.md5.slice(0, 2), first.md5.slice(2)))).toBe(
      true,
    );
  });
});
