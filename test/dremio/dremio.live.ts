/**
 * Against a real Dremio: `DREMIO_URL=… DREMIO_TOKEN=… npm run test:live` (or DREMIO_USERNAME and
 * DREMIO_PASSWORD). No Dremio can be installed on our machines, so `npm test` does not include
 * `*.live.ts` files (vitest.live.config.ts does); run without the variables, it fails and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { dremioCatalog, type CatalogOutput } from '../../tools/dremio/browse-catalog.js';
import { dremioSql } from '../../tools/dremio/run-sql.js';
import { configFor, contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call } from './fixtures.js';

const env = process.env;
const live = Boolean(env.DREMIO_URL && (env.DREMIO_TOKEN || (env.DREMIO_USERNAME && env.DREMIO_PASSWORD)));

describe('a real Dremio at DREMIO_URL', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext | undefined;
  beforeAll(() => {
    if (!live) throw new Error('Set DREMIO_URL and DREMIO_TOKEN (or DREMIO_USERNAME and DREMIO_PASSWORD)');
    ws = makeWorkspace();
  });
  const context = async () => {
    ctx ??= await contextFor(ws.root, {
      config: await configFor(ws.root, {
        DREMIO_URL: env.DREMIO_URL,
        DREMIO_TOKEN: env.DREMIO_TOKEN,
        DREMIO_USERNAME: env.DREMIO_USERNAME,
        DREMIO_PASSWORD: env.DREMIO_PASSWORD,
      }),
    });
    return ctx;
  };
  afterAll(async () => {
    await ctx?.clients.closeAll();
    ws?.cleanup();
  });

  it('runs SELECT 1 as a job', async () => {
    const out = await call<{ rows: Array<Record<string, unknown>>; job_id: string }>(
      dremioSql,
      { sql: 'SELECT 1 AS one' },
      await context(),
    );
    expect(out.rows).toEqual([{ one: 1 }]);
    expect(out.job_id).not.toBe('');
  });

  it('browses the catalog root', async () => {
    const root = await call<CatalogOutput>(dremioCatalog, {}, await context());
    expect(root.kind).toBe('root');
    expect(root.entries.every((e) => ['home', 'space', 'source'].includes(e.kind))).toBe(true);
  });
});
