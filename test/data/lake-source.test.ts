/**
 * data add --source lake against the real Nessie + Iceberg REST + S3 that ensureServices starts:
 * the table is read at the Nessie commit its branch points at, and that hash is recorded in the
 * .dvc file's meta for experiment provenance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dataAdd } from '../../tools/data/add-data.js';
import { dataVersions, provenanceTags } from '../../tools/experiment/provenance.js';
import type { ToolContext } from '../../tools/core/types.js';
import { icebergCreateNamespace } from '../../tools/iceberg/create-namespace.js';
import { icebergCreateTable } from '../../tools/iceberg/create-table.js';
import { icebergLoadTable } from '../../tools/iceberg/load-table.js';
import { openLake, unique, WEATHER_ROWS, type Lake } from '../iceberg/fixtures.js';
import { call, callError, DVC_TIMEOUT, git } from './fixtures.js';

let lake: Lake;
let ctx: ToolContext;
const ns = unique();
const table = `${ns}.weather`;
const branch = `${ns}-data`;

beforeAll(async () => {
  lake = await openLake();
  git(lake.ws.root, ['init', '--quiet', '--initial-branch=main']);
  ({ ctx } = await lake.context(true));
  await lake.nessie.createBranch(branch);
  await call(icebergCreateNamespace, { namespace: ns, ref: branch }, ctx);
  await call(icebergCreateTable, { table, dataset: 'data/seattle-weather.csv', ref: branch }, ctx);
  await call(icebergLoadTable, { table, dataset: 'data/seattle-weather.csv', ref: branch }, ctx);
}, DVC_TIMEOUT);
afterAll(() => lake?.cleanup());

describe('data add --source lake', { timeout: DVC_TIMEOUT }, () => {
  it('versions a table read at a recorded Nessie hash, and a query over it', async () => {
    const head = await lake.nessie.head(branch);
    const whole = await call<{ source: Record<string, unknown> }>(
      dataAdd,
      { source: 'lake', table, ref: branch, out: 'data/lake/weather.parquet' },
      ctx,
    );
    expect(whole.source).toMatchObject({
      source: 'lake',
      table,
      nessie_ref: branch,
      nessie_hash: head,
      rows: WEATHER_ROWS,
    });
    const pointer = parse(readFileSync(join(lake.ws.root, 'data/lake/weather.parquet.dvc'), 'utf8')) as {
      meta: { datastack: Record<string, unknown> };
    };
    expect(pointer.meta.datastack).toMatchObject({ nessie_ref: branch, nessie_hash: head, table });
    // What experiment runs record as their provenance reads the same pointer.
    const versions = await dataVersions(lake.ws.root);
    const tags = provenanceTags({
      git: undefined,
      data: versions,
      version: 'test',
      config: 'configs/experiment.yaml',
      overrides: [],
      command: 'test',
    });
    expect(tags).toMatchObject({ 'datastack.nessie.ref': branch, 'datastack.nessie.hash': head });

    const sunny = await call<{ source: { rows: number; query: string } }>(
      dataAdd,
      {
        source: 'lake',
        table,
        ref: branch,
        query: "select date from weather where weather = 'sun'",
        out: 'data/lake/sunny.csv',
      },
      ctx,
    );
    const expected = readFileSync(join(lake.ws.root, 'data/seattle-weather.csv'), 'utf8')
      .split('\n')
      .filter((line) => line.endsWith(',sun')).length;
    expect(sunny.source.rows).toBe(expected);
    expect(readFileSync(join(lake.ws.root, 'data/lake/sunny.csv'), 'utf8').split('\n')[0]).toBe('date');
  });

  it('names a table that does not exist', async () => {
    const error = await callError(
      dataAdd,
      { source: 'lake', table: `${ns}.nope`, ref: branch, out: 'data/lake/nope.parquet' },
      ctx,
    );
    expect(error.code).toBe('not_found');
  });
});
