/**
 * Iceberg through Nessie, end to end on the real services: a table made from a real dataset on a
 * branch, loaded twice by pyiceberg, its history listed, an older snapshot read back, the branch
 * merged, and the table seen on main. Every step checks the world by reading it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { icebergCreateNamespace } from '../../tools/iceberg/create-namespace.js';
import { icebergCreateTable } from '../../tools/iceberg/create-table.js';
import { icebergDescribeTable } from '../../tools/iceberg/describe-table.js';
import { icebergDropNamespace } from '../../tools/iceberg/drop-namespace.js';
import { icebergDropTable } from '../../tools/iceberg/drop-table.js';
import { icebergListNamespaces } from '../../tools/iceberg/list-namespaces.js';
import { icebergListSnapshots } from '../../tools/iceberg/list-snapshots.js';
import { icebergListTables } from '../../tools/iceberg/list-tables.js';
import { icebergLoadTable } from '../../tools/iceberg/load-table.js';
import { icebergQueryTable } from '../../tools/iceberg/query-table.js';
import { call, callError, openLake, unique, WEATHER_ROWS, type Lake } from './fixtures.js';

type Snapshots = {
  current_snapshot_id?: string;
  snapshots: Array<{
    snapshot_id: string;
    timestamp: string;
    operation?: string;
    added_records?: number;
    total_records?: number;
    commit?: string;
    committed_at?: string;
    parent_id?: string;
  }>;
  source: string;
};
type Read = {
  row_count: number;
  snapshot_id?: string;
  commit?: string;
  rows: Array<Record<string, unknown>>;
  result_file: string;
  truncated: boolean;
};

let lake: Lake;
let ctx: ToolContext;
const ns = unique();
const branch = `agent/${unique()}`;
const table = `${ns}.weather`;

const rowsOn = async (ref: string | undefined, extra: Record<string, unknown> = {}) =>
  (await call<Read>(icebergQueryTable, { table, ...(ref ? { ref } : {}), max_rows: 3, ...extra }, ctx))
    .row_count;
const snapshots = () => call<Snapshots>(icebergListSnapshots, { table, ref: branch }, ctx);

beforeAll(async () => {
  lake = await openLake();
  ({ ctx } = await lake.context(true));
  await lake.nessie.createBranch(branch);
}, 600_000);
afterAll(() => lake?.cleanup());

describe('Iceberg tables through Nessie, on a branch', () => {
  it('creates a namespace on the branch only', async () => {
    const out = await call<{ created: boolean; ref: string }>(
      icebergCreateNamespace,
      { namespace: ns, ref: branch },
      ctx,
    );
    expect(out).toMatchObject({ created: true, ref: branch });
    const onBranch = await call<{ namespaces: string[] }>(icebergListNamespaces, { ref: branch }, ctx);
    expect(onBranch.namespaces).toContain(ns);
    const onMain = await call<{ namespaces: string[] }>(icebergListNamespaces, {}, ctx);
    expect(onMain.namespaces).not.toContain(ns);

    const again = await call<{ created: boolean }>(
      icebergCreateNamespace,
      { namespace: ns, ref: branch, if_not_exists: true },
      ctx,
    );
    expect(again.created).toBe(false);
    const clash = await callError(icebergCreateNamespace, { namespace: ns, ref: branch }, ctx);
    expect(clash.code).toBe('conflict');
  });

  it('creates a table whose schema DuckDB inferred from the CSV', async () => {
    const out = await call<{ columns: Array<{ name: string; type: string }>; location: string }>(
      icebergCreateTable,
      { table, dataset: 'data/seattle-weather.csv', ref: branch },
      ctx,
    );
    expect(out.columns).toEqual([
      { name: 'date', type: 'date', source_type: 'DATE' },
      { name: 'precipitation', type: 'double', source_type: 'DOUBLE' },
      { name: 'temp_max', type: 'double', source_type: 'DOUBLE' },
      { name: 'temp_min', type: 'double', source_type: 'DOUBLE' },
      { name: 'wind', type: 'double', source_type: 'DOUBLE' },
      { name: 'weather', type: 'string', source_type: 'VARCHAR' },
    ]);
    expect(out.location).toMatch(new RegExp(`^s3://${lake.services.s3.bucket}/`));
    // The catalog has it, as Nessie content on the branch.
    const described = await call<{
      columns: Array<{ name: string; type: string }>;
      current_snapshot?: unknown;
    }>(icebergDescribeTable, { table, ref: branch }, ctx);
    expect(described.columns.map((c) => `${c.name} ${c.type}`)).toContain('date date');
    expect(described.current_snapshot).toBeUndefined();
    expect(await lake.nessie.keys(branch)).toContain(table);
    const listed = await call<{ tables: string[] }>(icebergListTables, { namespace: ns, ref: branch }, ctx);
    expect(listed.tables).toEqual([table]);
  });

  it('appends the rows through pyiceberg and reads them back', async () => {
    const out = await call<{ rows: number; snapshot_id: string; total_records: number }>(
      icebergLoadTable,
      { table, dataset: 'data/seattle-weather.csv', ref: branch },
      ctx,
    );
    expect(out.rows).toBe(WEATHER_ROWS);
    expect(out.total_records).toBe(WEATHER_ROWS);
    expect(out.snapshot_id).toMatch(/^\d+$/);
    const read = await call<Read>(icebergQueryTable, { table, ref: branch, max_rows: 2 }, ctx);
    expect(read.row_count).toBe(WEATHER_ROWS);
    expect(read.snapshot_id).toBe(out.snapshot_id);
    expect(read.rows).toHaveLength(2);
    expect(read.truncated).toBe(true);
    const text = outputText(icebergQueryTable, read);
    expect(text).toContain(`1,461 rows read, all in ${read.result_file}`);
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>\nschema: date DATE, precipitation DOUBLE/);
  });

  it('appends again: two snapshots, and the older one reads as it was (time travel)', async () => {
    await call(icebergLoadTable, { table, dataset: 'data/seattle-weather.csv', ref: branch }, ctx);
    const history = await snapshots();
    expect(history.source).toBe('nessie_log');
    expect(history.snapshots).toHaveLength(2);
    const [newer, older] = history.snapshots;
    expect(newer).toMatchObject({
      operation: 'append',
      added_records: WEATHER_ROWS,
      total_records: 2 * WEATHER_ROWS,
    });
    expect(older).toMatchObject({
      operation: 'append',
      added_records: WEATHER_ROWS,
      total_records: WEATHER_ROWS,
    });
    expect(newer?.parent_id).toBe(older?.snapshot_id);
    expect(history.current_snapshot_id).toBe(newer?.snapshot_id);
    expect(outputText(icebergListSnapshots, history)).toMatch(/append \+1,461 rows \(2,922 total\)/);

    expect(await rowsOn(branch)).toBe(2 * WEATHER_ROWS);
    const past = await call<Read>(
      icebergQueryTable,
      { table, ref: branch, snapshot_id: older?.snapshot_id },
      ctx,
    );
    expect(past.row_count).toBe(WEATHER_ROWS);
    expect(past.snapshot_id).toBe(older?.snapshot_id);
    expect(past.commit).toBe(older?.commit);
    // The same by time: just after the first Nessie commit, before the second.
    const between = new Date(Date.parse(older?.committed_at ?? '') + 1).toISOString();
    expect(Date.parse(between)).toBeLessThan(Date.parse(newer?.committed_at ?? ''));
    expect(await rowsOn(branch, { as_of: between })).toBe(WEATHER_ROWS);
  });

  it('filters rows and picks columns when reading', async () => {
    const rain = await call<Read>(
      icebergQueryTable,
      { table, ref: branch, row_filter: "weather == 'rain'", columns: ['date', 'weather'], max_rows: 5 },
      ctx,
    );
    expect(rain.row_count).toBeGreaterThan(0);
    expect(rain.row_count % 2).toBe(0); // the same file twice
    expect(Object.keys(rain.rows[0] ?? {})).toEqual(['date', 'weather']);
    expect(rain.rows.every((row) => row.weather === 'rain')).toBe(true);
  });

  it('keeps the table off main until the branch is merged', async () => {
    const before = await callError(icebergDescribeTable, { table }, ctx);
    expect(before.code).toBe('not_found');
    expect(await lake.nessie.keys('main')).not.toContain(table);

    await lake.nessie.merge(branch, 'main');
    const after = await call<{ table: string; ref: string }>(icebergDescribeTable, { table }, ctx);
    expect(after.ref).toBe('main');
    expect(await rowsOn(undefined)).toBe(2 * WEATHER_ROWS);
  });

  it('leaves the data as it was when an overwrite is declined', async () => {
    const { ctx: declining, asked } = await lake.context(false);
    const before = await snapshots();
    const refused = await callError(
      icebergLoadTable,
      { table, dataset: 'data/seattle-weather.csv', ref: branch, mode: 'overwrite' },
      declining,
    );
    expect(refused.code).toBe('refused');
    expect(asked[0]?.summary).toMatch(
      /Replace every row of .*weather on agent\/t[0-9a-f]+ \(its 2,922 current rows\)/,
    );
    expect((await snapshots()).snapshots).toHaveLength(before.snapshots.length);
    expect(await rowsOn(branch)).toBe(2 * WEATHER_ROWS);
  });

  it('overwrites when confirmed, and the old rows stay readable by time travel', async () => {
    const before = await snapshots();
    const out = await call<{ rows: number; total_records: number; previous_snapshot_id: string }>(
      icebergLoadTable,
      { table, dataset: 'data/seattle-weather.csv', ref: branch, mode: 'overwrite' },
      ctx,
    );
    expect(out).toMatchObject({
      rows: WEATHER_ROWS,
      total_records: WEATHER_ROWS,
      previous_snapshot_id: before.current_snapshot_id,
    });
    expect(await rowsOn(branch)).toBe(WEATHER_ROWS);
    expect(await rowsOn(branch, { snapshot_id: before.current_snapshot_id })).toBe(2 * WEATHER_ROWS);
    // main kept what was merged.
    expect(await rowsOn(undefined)).toBe(2 * WEATHER_ROWS);
  });

  it('refuses a file that does not fit the table, writing nothing', async () => {
    const before = await snapshots();
    const error = await callError(icebergLoadTable, { table, dataset: 'data/cars.json', ref: branch }, ctx);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/has columns the table does not: Name, Miles_per_Gallon/);
    expect((await snapshots()).snapshots).toHaveLength(before.snapshots.length);
  });

  it('checks a load on a dry run without writing or asking', async () => {
    const { ctx: declining, asked } = await lake.context(false);
    const before = await snapshots();
    const out = await call<{ rows: number; dry_run: boolean }>(
      icebergLoadTable,
      { table, dataset: 'data/seattle-weather.csv', ref: branch, mode: 'overwrite', dry_run: true },
      declining,
    );
    expect(out).toMatchObject({ rows: WEATHER_ROWS, dry_run: true });
    expect(asked).toHaveLength(0);
    expect((await snapshots()).snapshots).toHaveLength(before.snapshots.length);
  });
});

describe('dropping', () => {
  it('drops the table on the branch only, after a dry run that drops nothing', async () => {
    const { ctx: declining, asked } = await lake.context(false);
    const dry = await call<{ dropped: boolean; rows: number }>(
      icebergDropTable,
      { table, ref: branch, dry_run: true },
      declining,
    );
    expect(dry).toMatchObject({ dropped: false, rows: WEATHER_ROWS });
    expect(asked).toHaveLength(0);
    const refused = await callError(icebergDropTable, { table, ref: branch }, declining);
    expect(refused.code).toBe('refused');
    expect(asked[0]?.summary).toMatch(/^Drop table .*weather \(1,461 rows\) on agent\//);
    expect(await lake.nessie.keys(branch)).toContain(table);

    const out = await call<{ dropped: boolean }>(icebergDropTable, { table, ref: branch }, ctx);
    expect(out.dropped).toBe(true);
    expect(await lake.nessie.keys(branch)).not.toContain(table);
    expect((await callError(icebergDescribeTable, { table, ref: branch }, ctx)).code).toBe('not_found');
    // main still has what was merged.
    expect(await rowsOn(undefined)).toBe(2 * WEATHER_ROWS);
  });

  it('lists and drops nested namespaces', async () => {
    const child = `${ns}.${unique()}`;
    await call(icebergCreateNamespace, { namespace: child, ref: branch }, ctx);
    const listed = await call<{ namespaces: string[] }>(
      icebergListNamespaces,
      { parent: ns, ref: branch },
      ctx,
    );
    expect(listed.namespaces).toEqual([child]);
    await call(icebergDropNamespace, { namespace: child, ref: branch }, ctx);
    const after = await call<{ namespaces: string[] }>(
      icebergListNamespaces,
      { parent: ns, ref: branch },
      ctx,
    );
    expect(after.namespaces).toEqual([]);
  });
});
