/**
 * Browsing, describing and job listing against the documented-API fake
 * (test/fakes/dremio-server.ts), and the SQL-style paths the catalog tools read and write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { dremioCatalog, type CatalogOutput } from '../../tools/dremio/browse-catalog.js';
import { dremioDescribe } from '../../tools/dremio/describe-dataset.js';
import { dremioJobs, type JobsOutput } from '../../tools/dremio/list-jobs.js';
import { formatDremioPath, parseDremioPath } from '../../tools/dremio/path.js';
import { dremioSql } from '../../tools/dremio/run-sql.js';
import { FAKE_USER } from '../fakes/dremio-server.js';
import { call, callError, duckDbRows, startDremioSetup, type DremioSetup } from './fixtures.js';

let setup: DremioSetup;
beforeAll(async () => {
  setup = await startDremioSetup();
});
afterAll(() => setup.close());

type Described = {
  path: string;
  id: string;
  kind: string;
  fields: Array<{ name: string; type: string }>;
  sql?: string;
};

describe('Dremio paths', () => {
  it('reads and writes paths as Dremio SQL does', () => {
    expect(parseDremioPath('Samples."samples.dremio.com"."SF ""weather"".csv"')).toEqual([
      'Samples',
      'samples.dremio.com',
      'SF "weather".csv',
    ]);
    expect(parseDremioPath('@analyst.reports')).toEqual(['@analyst', 'reports']);
    expect(formatDremioPath(['Samples', 'samples.dremio.com', 'SF "weather".csv'])).toBe(
      'Samples."samples.dremio.com"."SF ""weather"".csv"',
    );
    for (const bad of ['a..b', 'a."b', 'a.', '"a"b'])
      expect(() => parseDremioPath(bad)).toThrow(/Cannot read the Dremio path/);
  });
});

describe('dremio_catalog and dremio_describe', () => {
  it('lists the root: home, spaces and sources', async () => {
    const root = await call<CatalogOutput>(dremioCatalog, {}, await setup.context());
    expect(root.kind).toBe('root');
    expect(root.entries.map((e) => [e.kind, e.path])).toEqual([
      ['home', `"@${FAKE_USER}"`],
      ['space', 'Analytics'],
      ['source', 'Samples'],
    ]);
  });

  it('browses folders down to datasets, with paths ready for SQL', async () => {
    const ctx = await setup.context();
    const source = await call<CatalogOutput>(dremioCatalog, { path: 'Samples' }, ctx);
    expect(source).toMatchObject({
      kind: 'source',
      path: 'Samples',
      entries: [{ kind: 'folder', path: 'Samples.vega' }],
    });
    const folder = await call<CatalogOutput>(dremioCatalog, { path: 'Samples.vega' }, ctx);
    expect(folder.entries.map((e) => e.path)).toEqual([
      'Samples.vega."flights-2k.json"',
      'Samples.vega."movies.json"',
      'Samples.vega."seattle-weather.csv"',
      'Samples.vega."cars.json"',
    ]);
    expect(new Set(folder.entries.map((e) => e.kind))).toEqual(new Set(['table']));
    const reports = await call<CatalogOutput>(dremioCatalog, { path: 'Analytics.reports' }, ctx);
    expect(reports.entries).toMatchObject([{ kind: 'view', name: 'weather_by_type' }]);
    expect(outputText(dremioCatalog, folder)).toMatch(
      /<untrusted-data-[0-9a-f]+>\ntable\tSamples\.vega\."flights-2k\.json"/,
    );

    // A listed path runs as it is.
    const out = await call<{ rows: unknown[] }>(
      dremioSql,
      { sql: `SELECT count(*) AS n FROM ${folder.entries[3]?.path}` },
      ctx,
    );
    const [cars] = await duckDbRows(`SELECT count(*) AS n FROM read_json('VEGA/cars.json')`);
    expect(out.rows).toEqual([{ n: cars?.n }]);
  });

  it("describes a table's columns by path and by id, and a view with its SQL", async () => {
    const ctx = await setup.context();
    const table = await call<Described>(dremioDescribe, { path: 'Samples.vega."seattle-weather.csv"' }, ctx);
    expect(table).toMatchObject({ kind: 'table', path: 'Samples.vega."seattle-weather.csv"' });
    expect(table.fields).toEqual([
      { name: 'date', type: 'DATE' },
      { name: 'precipitation', type: 'DOUBLE' },
      { name: 'temp_max', type: 'DOUBLE' },
      { name: 'temp_min', type: 'DOUBLE' },
      { name: 'wind', type: 'DOUBLE' },
      { name: 'weather', type: 'VARCHAR' },
    ]);
    expect(await call<Described>(dremioDescribe, { id: table.id }, ctx)).toEqual(table);

    const view = await call<Described>(dremioDescribe, { path: 'Analytics.reports.weather_by_type' }, ctx);
    expect(view.kind).toBe('view');
    expect(view.fields.map((f) => f.name)).toEqual(['weather', 'days', 'avg_temp_max']);
    expect(view.sql).toMatch(/GROUP BY weather/);
  });

  it('reports a bad path as not found, and a folder given to describe as the wrong kind', async () => {
    const ctx = await setup.context();
    const missing = await callError(dremioCatalog, { path: 'Samples.nope' }, ctx);
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/Samples, nope/);
    expect(missing.hint).toMatch(/datastack dremio catalog/);

    const folder = await callError(dremioDescribe, { path: 'Samples.vega' }, ctx);
    expect(folder.code).toBe('invalid_input');
    expect(folder.message).toBe('Samples.vega is a folder, not a dataset');
    expect((await callError(dremioDescribe, {}, ctx)).code).toBe('invalid_input');
  });
});

describe('dremio_jobs', () => {
  it('lists recent jobs newest first with their state and error, and shows one job by id', async () => {
    const ctx = await setup.context();
    const ok = await call<{ job_id: string }>(dremioSql, { sql: 'SELECT 7 AS seven' }, ctx);
    await callError(dremioSql, { sql: 'SELECT * FROM Samples.vega.missing_table' }, ctx);

    const recent = await call<JobsOutput>(dremioJobs, { limit: 2 }, ctx);
    expect(recent.jobs.map((j) => [j.state, j.sql])).toEqual([
      ['FAILED', 'SELECT * FROM Samples.vega.missing_table'],
      ['COMPLETED', 'SELECT 7 AS seven'],
    ]);
    expect(recent.jobs[0]?.error).toMatch(/missing_table/);
    expect(recent.jobs[1]).toMatchObject({ job_id: ok.job_id, rows: 1, user: FAKE_USER });

    const failed = await call<JobsOutput>(dremioJobs, { state: 'failed' }, ctx);
    expect(failed.jobs.length).toBeGreaterThan(0);
    expect(failed.jobs.every((j) => j.state === 'FAILED')).toBe(true);

    const one = await call<JobsOutput>(dremioJobs, { job_id: ok.job_id }, ctx);
    expect(one.jobs).toEqual([expect.objectContaining({ job_id: ok.job_id, state: 'COMPLETED', rows: 1 })]);
    expect(outputText(dremioJobs, one)).toMatch(/untrusted-data/);
    expect((await callError(dremioJobs, { job_id: 'no-such-job' }, ctx)).code).toBe('not_found');
  });
});
