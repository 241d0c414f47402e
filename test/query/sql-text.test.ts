import { describe, expect, it } from 'vitest';
import { findPathLiterals, rewritePaths, splitStatements } from '../../tools/query/sql-text.js';

const paths = (sql: string) => findPathLiterals(sql).map(({ token, mode }) => `${mode}:${token.text}`);

describe('splitStatements', () => {
  it('splits on top-level semicolons only', () => {
    expect(splitStatements('select \'a;b\'; select "x;y" from t -- c;\n; /* ; */ select 3;')).toEqual([
      "select 'a;b'",
      'select "x;y" from t -- c;',
      '/* ; */ select 3',
    ]);
    expect(splitStatements(' ; -- nothing\n')).toEqual([]);
    expect(splitStatements('select $$a;b$$')).toEqual(['select $$a;b$$']);
  });
});

describe('findPathLiterals', () => {
  it('finds files in FROM, JOIN, lists and reader functions', () => {
    expect(paths("select * from 'a.csv' x join 'b.parquet' y using (id), 'c.json'")).toEqual([
      'read:a.csv',
      'read:b.parquet',
      'read:c.json',
    ]);
    expect(paths("select * from read_csv('a.csv', delim = ';', header = true)")).toEqual(['read:a.csv']);
    expect(paths("from read_parquet(['a.parquet', 'b.parquet'], union_by_name = true)")).toEqual([
      'read:a.parquet',
      'read:b.parquet',
    ]);
    expect(paths("describe 'a.csv'; summarize 'b.csv'")).toEqual(['read:a.csv', 'read:b.csv']);
    expect(paths("select * from t where x in (select y from 'sub.csv')")).toEqual(['read:sub.csv']);
  });

  it('finds write targets of COPY, EXPORT and ATTACH', () => {
    expect(paths("copy (select * from 'in.csv') to 'out.parquet' (format parquet)")).toEqual([
      'read:in.csv',
      'write:out.parquet',
    ]);
    expect(paths("copy t from 'in.csv'")).toEqual(['read:in.csv']);
    expect(paths("export database 'dump'")).toEqual(['write:dump']);
    expect(paths("attach 'x.db' as x")).toEqual(['write:x.db']);
  });

  it('leaves other strings alone', () => {
    expect(
      paths("select 'a.csv' as name, trim(both 'x' from 'xax'), extract(year from '2020-01-01'::date)"),
    ).toEqual([]);
    expect(paths("select * from t where name = 'a.csv' order by 'b.csv', 'c.csv'")).toEqual([]);
    expect(paths("select * from 'https://example.com/a.csv'")).toEqual([]);
    expect(paths("select 'x' similar to 'a/b.csv'")).toEqual([]);
  });
});

describe('rewritePaths', () => {
  it('replaces each path with what resolve gives, quoting it', () => {
    const out = rewritePaths(
      "select * from 'data/a.csv' join read_csv('it''s.csv') using (id)",
      (p) => `/ws/${p}`,
    );
    expect(out.sql).toBe("select * from '/ws/data/a.csv' join read_csv('/ws/it''s.csv') using (id)");
    expect(out.paths.map((p) => p.absolute)).toEqual(['/ws/data/a.csv', "/ws/it's.csv"]);
  });

  it('lets resolve refuse a path', () => {
    expect(() =>
      rewritePaths("select * from '../x.csv'", () => {
        throw new Error('outside');
      }),
    ).toThrow('outside');
  });
});
