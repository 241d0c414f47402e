/**
 * Bad input and faults of the Iceberg tools, on the real services: missing things, invalid names,
 * a catalog that is down, no catalog configured, and a load cancelled mid-write that leaves no
 * snapshot and no data files behind.
 */
import { copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeTool } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { icebergCreateNamespace } from '../../tools/iceberg/create-namespace.js';
import { icebergCreateTable } from '../../tools/iceberg/create-table.js';
import { icebergDescribeTable } from '../../tools/iceberg/describe-table.js';
import { icebergDropNamespace } from '../../tools/iceberg/drop-namespace.js';
import { icebergDropTable } from '../../tools/iceberg/drop-table.js';
import { icebergListNamespaces } from '../../tools/iceberg/list-namespaces.js';
import { icebergListSnapshots } from '../../tools/iceberg/list-snapshots.js';
import { icebergLoadTable } from '../../tools/iceberg/load-table.js';
import { icebergQueryTable } from '../../tools/iceberg/query-table.js';
import { contextFor, makeWorkspace } from '../helpers/workspace.js';
import { call, callError, CARS_ROWS, openLake, unique, VEGA_DATA, type Lake } from './fixtures.js';

let lake: Lake;
let ctx: ToolContext;
const ns = unique();

beforeAll(async () => {
  lake = await openLake();
  ({ ctx } = await lake.context(true));
  await call(icebergCreateNamespace, { namespace: ns }, ctx);
}, 600_000);
afterAll(() => lake?.cleanup());

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('missing things', () => {
  it('a missing table is not_found, with a hint, for every tool', async () => {
    const table = `${ns}.nope`;
    for (const [tool, input] of [
      [icebergDescribeTable, { table }],
      [icebergListSnapshots, { table }],
      [icebergQueryTable, { table }],
      [icebergLoadTable, { table, dataset: 'data/cars.json' }],
      [icebergDropTable, { table }],
    ] as const) {
      const error = await callError(tool, input, ctx);
      expect(error.code, tool.name).toBe('not_found');
      expect(error.message).toContain(`${ns}.nope`);
      expect(error.hint).toContain('datastack iceberg list-tables');
    }
  });

  it('a missing namespace and a missing branch are not_found', async () => {
    const namespace = await callError(icebergDropNamespace, { namespace: unique() }, ctx);
    expect(namespace.code).toBe('not_found');
    expect(namespace.hint).toContain('list-namespaces');

    const branch = await callError(icebergListNamespaces, { ref: `no-such-${unique()}` }, ctx);
    expect(branch.code).toBe('not_found');
    expect(branch.message).toMatch(/Branch or tag no-such-t[0-9a-f]+ does not exist/);
    expect(branch.hint).toContain('create-branch');
  });

  it('a time travel to a snapshot the table never had is not_found', async () => {
    const table = `${ns}.cars_tt`;
    await call(icebergCreateTable, { table, dataset: 'data/cars.json', load: true }, ctx);
    const error = await callError(icebergQueryTable, { table, snapshot_id: '12345' }, ctx);
    expect(error.code).toBe('not_found');
    expect(error.hint).toContain('list-snapshots');
  });

  it('dropping a namespace that still has tables is a conflict', async () => {
    const error = await callError(icebergDropNamespace, { namespace: ns, dry_run: true }, ctx);
    expect(error.code).toBe('conflict');
  });
});

describe('invalid input', () => {
  it('refuses bad names before any request', async () => {
    const cases: Array<[Parameters<typeof callError>[0], Record<string, unknown>, RegExp]> = [
      [icebergDescribeTable, { table: 'weather' }, /table: give the table as namespace\.table/],
      [icebergDescribeTable, { table: 'lake.bad name!' }, /table:/],
      [icebergCreateNamespace, { namespace: 'x..y' }, /namespace:/],
      [icebergListNamespaces, { ref: 'bad..ref' }, /ref: not a valid Nessie branch/],
      [icebergQueryTable, { table: `${ns}.t`, snapshot_id: 'latest' }, /snapshot_id/],
      [icebergLoadTable, { table: `${ns}.t`, dataset: 'x.csv', mode: 'replace' }, /mode/],
    ];
    for (const [tool, input, pattern] of cases) {
      const error = await callError(tool, input, ctx);
      expect(error.code, JSON.stringify(input)).toBe('invalid_input');
      expect(error.message).toMatch(pattern);
    }
  });

  it('refuses a partition on a column the file lacks, creating nothing', async () => {
    const table = `${ns}.parted`;
    const error = await callError(
      icebergCreateTable,
      { table, dataset: 'data/cars.json', partition_by: 'month(nope)' },
      ctx,
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('nope');
    expect((await callError(icebergDescribeTable, { table }, ctx)).code).toBe('not_found');
  });

  it('creates a partitioned table from JSON and loads it', async () => {
    const table = `${ns}.cars`;
    const out = await call<{ partition: string; loaded_rows: number }>(
      icebergCreateTable,
      { table, dataset: 'data/cars.json', partition_by: 'year(Year)', load: true },
      ctx,
    );
    expect(out).toMatchObject({ partition: 'year(Year)', loaded_rows: CARS_ROWS });
    const described = await call<{ partition_spec: unknown[] }>(icebergDescribeTable, { table }, ctx);
    expect(described.partition_spec).toEqual([{ name: 'Year_year', source: 'Year', transform: 'year' }]);
    const read = await call<{ row_count: number }>(icebergQueryTable, { table }, ctx);
    expect(read.row_count).toBe(CARS_ROWS);
  });
});

describe('services down or missing', () => {
  it('a catalog that refuses connections is unavailable, naming it and `datastack stack status`', async () => {
    const port = await closedPort();
    const ws = makeWorkspace({
      'datastack.yaml': `profile: down\nprofiles:\n  down:\n    iceberg:\n      url: http://127.0.0.1:${port}/iceberg\n`,
    });
    try {
      const down = await contextFor(ws.root);
      const error = await callError(icebergListNamespaces, {}, down);
      expect(error.code).toBe('unavailable');
      expect(error.message).toBe(
        `The Iceberg catalog at http://127.0.0.1:${port}/iceberg refused the connection`,
      );
      expect(error.hint).toContain('datastack stack status');
    } finally {
      ws.cleanup();
    }
  });

  it('no iceberg section is a config error that says how to get one', async () => {
    const ws = makeWorkspace();
    try {
      const error = await callError(icebergListNamespaces, {}, await contextFor(ws.root));
      expect(error.code).toBe('config');
      expect(error.hint).toContain('datastack stack up');
      expect(error.hint).toContain('--profile stack');
    } finally {
      ws.cleanup();
    }
  });
});

describe('a load cancelled mid-write', () => {
  it('commits nothing and leaves no data files behind', async () => {
    copyFileSync(join(VEGA_DATA, 'flights-3m.parquet'), join(lake.ws.root, 'data', 'flights.parquet'));
    const table = `${ns}.flights`;
    const created = await call<{ location: string }>(
      icebergCreateTable,
      { table, dataset: 'data/flights.parquet' },
      ctx,
    );
    const controller = new AbortController();
    const { ctx: base } = await lake.context(true);
    const said: string[] = [];
    const cancelling: ToolContext = {
      ...base,
      signal: controller.signal,
      log: { ...base.log, debug: (message) => said.push(message) },
      progress: (update) => {
        // It is writing data files now, before its commit.
        if (update.message === 'writing data files') controller.abort();
      },
    };
    const outcome = await invokeTool(
      icebergLoadTable,
      { table, dataset: 'data/flights.parquet' },
      cancelling,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('aborted');
    // It was stopped while writing a data file. Whether that file had reached S3 when the signal
    // came depends on timing (then iceberg_io says "removed N staged file(s)"); either way, what
    // follows checks that nothing of it is left: no snapshot, no data file.
    expect(controller.signal.aborted).toBe(true);
    expect(said.join('\n')).not.toMatch(/commit's outcome is unknown/);

    const history = await call<{ snapshots: unknown[] }>(icebergListSnapshots, { table }, ctx);
    expect(history.snapshots).toHaveLength(0);
    const s3 = new S3Client({
      endpoint: lake.services.s3.endpoint,
      region: lake.services.s3.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: lake.services.s3.accessKeyId,
        secretAccessKey: lake.services.s3.secretAccessKey,
      },
    });
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(created.location) ?? [];
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}/data/` }));
    // pyarrow may leave the empty `data/` folder marker; no data file may remain.
    expect((listed.Contents ?? []).map((c) => c.Key).filter((k) => k?.endsWith('.parquet'))).toEqual([]);
    s3.destroy();
  }, 120_000);
});
