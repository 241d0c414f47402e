/**
 * query_sql on `query.engine: dremio`, and the built CLI against the documented-API fake
 * (test/fakes/dremio-server.ts) with a datastack.yaml that points at it (build first).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { querySql } from '../../tools/query/run-sql.js';
import { FAKE_PAT, SLOW_MARKER, startFakeDremio, type FakeDremio } from '../fakes/dremio-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, duckDbRows } from './fixtures.js';

let fake: FakeDremio;
let ws: TempWorkspace;
beforeAll(async () => {
  fake = await startFakeDremio();
  ws = makeWorkspace({
    'datastack.yaml': `profile: lake
profiles:
  lake:
    query: { engine: dremio, max_rows: 4 }
    dremio: { url: "${fake.url}", token: "${FAKE_PAT}" }
`,
  });
});
afterAll(async () => {
  await fake.close();
  ws.cleanup();
});

type SqlOutput = {
  columns: Array<{ name: string; type: string }>;
  row_count: number;
  rows: unknown[];
  truncated: boolean;
};
const WEATHER = `SELECT weather, count(*) AS days FROM Samples.vega."seattle-weather.csv" GROUP BY weather ORDER BY days DESC, weather`;
const WEATHER_DUCKDB = WEATHER.replace(
  'Samples.vega."seattle-weather.csv"',
  "read_csv('VEGA/seattle-weather.csv')",
);

describe('query_sql with query.engine: dremio', () => {
  it("answers in query_sql's shape, with the profile's caps and fenced rows", async () => {
    const ctx = await contextFor(ws.root);
    const out = await call<SqlOutput>(querySql, { sql: WEATHER }, ctx);
    const expected = await duckDbRows(WEATHER_DUCKDB);
    expect(out.row_count).toBe(expected.length);
    expect(out.rows).toEqual(expected.slice(0, 4));
    expect(out.truncated).toBe(expected.length > 4);
    expect(out.columns).toEqual([
      { name: 'weather', type: 'VARCHAR' },
      { name: 'days', type: 'BIGINT' },
    ]);
    expect(Object.keys(out).sort()).toEqual(['columns', 'elapsed_ms', 'row_count', 'rows', 'truncated']);
    expect(outputText(querySql, out)).toMatch(
      /<untrusted-data-[0-9a-f]+>\nschema: weather VARCHAR, days BIGINT\n/,
    );
    expect(fake.requests.some((r) => r.path === '/api/v3/sql')).toBe(true);
    await ctx.clients.closeAll();
  });
});

describe('the CLI on a profile with Dremio', () => {
  it('runs dremio sql, dremio catalog and the engine-switched sql command', async () => {
    const dremio = await runCli(['--json', 'dremio', 'sql', WEATHER, '--max-rows', '2'], { cwd: ws.root });
    expect(dremio.stderr).toBe('');
    expect(dremio.code).toBe(0);
    const parsed = JSON.parse(dremio.stdout) as SqlOutput & { job_id: string };
    expect(parsed.rows).toEqual((await duckDbRows(WEATHER_DUCKDB)).slice(0, 2));
    expect(fake.jobs.get(parsed.job_id)?.state).toBe('COMPLETED');

    const catalog = await runCli(['dremio', 'catalog', 'Samples.vega'], { cwd: ws.root });
    expect(catalog.code).toBe(0);
    expect(catalog.stdout).toContain('Samples.vega."flights-2k.json"');

    const sql = await runCli(['--json', 'sql', 'SELECT 1 AS one'], { cwd: ws.root });
    expect(sql.code).toBe(0);
    expect((JSON.parse(sql.stdout) as SqlOutput).rows).toEqual([{ one: 1 }]);

    const bad = await runCli(['dremio', 'sql', 'SELECT * FROM nowhere'], { cwd: ws.root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Dremio job [0-9a-f-]+ failed: .*nowhere[\s\S]*\nhint: Fix the SQL/);
  });

  it('cancels the Dremio job on Ctrl-C and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'dremio', 'sql', `SELECT 3 AS three ${SLOW_MARKER}`], {
      cwd: ws.root,
      env: { PATH: process.env.PATH, HOME: ws.root, XDG_CONFIG_HOME: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const running = () =>
      [...fake.jobs.values()].find((j) => j.sql.includes('SELECT 3 AS three') && j.polls > 0);
    for (let i = 0; i < 300 && !running(); i += 1) await sleep(50);
    const job = running();
    expect(job?.state).toBe('RUNNING');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(job?.state).toBe('CANCELED');
    expect(fake.requests).toContainEqual({
      method: 'POST',
      path: `/api/v3/job/${job?.id}/cancel`,
      authorized: true,
    });
    expect(stderr).toMatch(/^error: Cancelled/m);
  });
});
