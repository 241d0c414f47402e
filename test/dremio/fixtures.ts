/**
 * The Dremio tests run against test/fakes/dremio-server.ts: no Dremio can be installed here, so
 * the fake follows Dremio's documented REST API v3 (see its header) with DuckDB running the SQL.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ContextOptions } from '../../tools/core/context.js';
import type { ToolContext } from '../../tools/core/types.js';
import { FAKE_PAT, startFakeDremio, VEGA_DATA, type FakeDremio } from '../fakes/dremio-server.js';
import { configFor, contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

export interface DremioSetup {
  fake: FakeDremio;
  ws: TempWorkspace;
  /** A context on a PAT-authenticated profile; `env` adds or overrides variables. */
  context(env?: NodeJS.ProcessEnv, options?: Partial<ContextOptions>): Promise<ToolContext>;
  close(): Promise<void>;
}

export async function startDremioSetup(): Promise<DremioSetup> {
  const fake = await startFakeDremio();
  const ws = makeWorkspace();
  const contexts: ToolContext[] = [];
  return {
    fake,
    ws,
    async context(env = {}, options = {}) {
      const config = await configFor(ws.root, { DREMIO_URL: fake.url, DREMIO_TOKEN: FAKE_PAT, ...env });
      const ctx = await contextFor(ws.root, { ...options, config });
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      await Promise.all(contexts.map((ctx) => ctx.clients.closeAll()));
      await fake.close();
      ws.cleanup();
    },
  };
}

/** What an independent, plain DuckDB answers for `sql` (files under vega's data folder). */
export async function duckDbRows(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql.replaceAll('VEGA/', `${VEGA_DATA}/`));
    return reader
      .getRowObjectsJS()
      .map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The job ids of the fake's `POST /api/v3/job/{id}/cancel` calls. */
export function cancelCalls(fake: FakeDremio): string[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && /\/api\/v3\/job\/[^/]+\/cancel$/.test(r.path))
    .map((r) => r.path.split('/')[4] ?? '');
}
