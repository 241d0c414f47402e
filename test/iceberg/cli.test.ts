/**
 * `datastack iceberg …` through the built bin (build first: `npm run build`), on the real
 * services: create a table from a file on a branch, load it with --yes, read it back as JSON,
 * and see a load refused without --yes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../tools/stack/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { openLake, unique, WEATHER_ROWS, type Lake } from './fixtures.js';

let lake: Lake;
const ns = unique();
const branch = `cli/${unique()}`;
const table = `${ns}.weather`;
// The bin runs with HOME set to the workspace; it must find the shared venv all the same.
const env = { XDG_CACHE_HOME: defaultCacheDir().replace(/\/datastack$/, '') };
const cli = (args: string[]) => runCli(args, { cwd: lake.ws.root, env, timeoutMs: 120_000 });

beforeAll(async () => {
  lake = await openLake();
  await lake.nessie.createBranch(branch);
}, 600_000);
afterAll(() => lake?.cleanup());

describe('datastack iceberg (built bin)', () => {
  it('creates, loads with --yes and reads a table on a branch', async () => {
    expect((await cli(['iceberg', 'create-namespace', ns, '--ref', branch])).code).toBe(0);
    const created = await cli([
      'iceberg',
      'create-table',
      table,
      'data/seattle-weather.csv',
      '--ref',
      branch,
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);

    const refused = await cli(['iceberg', 'load-table', table, 'data/seattle-weather.csv', '--ref', branch]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--yes');

    const loaded = await cli([
      'iceberg',
      'load-table',
      table,
      'data/seattle-weather.csv',
      '--ref',
      branch,
      '--yes',
      '--json',
    ]);
    expect(loaded.code).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({ rows: WEATHER_ROWS, mode: 'append', ref: branch });

    const read = await cli(['iceberg', 'query-table', table, '--ref', branch, '--max-rows', '2', '--json']);
    expect(read.code).toBe(0);
    const out = JSON.parse(read.stdout) as { row_count: number; rows: unknown[] };
    expect(out.row_count).toBe(WEATHER_ROWS);
    expect(out.rows).toHaveLength(2);

    const history = await cli(['iceberg', 'list-snapshots', table, '--ref', branch]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/append +1461 /);
  });

  it('names a missing table and suggests list-tables', async () => {
    const result = await cli(['iceberg', 'describe-table', `${ns}.nope`, '--ref', branch]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${ns}.nope`);
    expect(result.stderr).toContain('datastack iceberg list-tables');
  });
});
