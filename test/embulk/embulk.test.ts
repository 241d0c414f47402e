/**
 * Real Embulk 0.11.4 (assembled from Maven Central on first use into the user cache) on the vega
 * seattle-weather CSV: generate with the parser sniffed by DuckDB, preview, run to a local folder,
 * a semicolon-separated copy, and a config with a wrong column type.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { runEmbulk } from '../../tools/embulk/index.js';
import { embulkGenerate } from '../../tools/embulk/generate-config.js';
import { embulkInstall } from '../../tools/embulk/install-embulk.js';
import { embulkPreview } from '../../tools/embulk/preview-config.js';
import { embulkRun } from '../../tools/embulk/run-config.js';
import { call, callError } from '../helpers/call.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { WEATHER_LINES, WEATHER_ROWS, weatherWorkspace } from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = weatherWorkspace();
  ctx = await contextFor(ws.root);
  await call(embulkInstall, {}, ctx);
}, 600_000);

afterAll(() => ws?.cleanup());

describe('Embulk on a CSV', () => {
  it('generates a config whose columns DuckDB guessed from the file', async () => {
    const out = await call<{
      config: string;
      delimiter: string;
      header_lines: number;
      columns: { name: string; type: string }[];
    }>(embulkGenerate, { source: 'data/seattle-weather.csv' }, ctx);
    expect(out.config).toBe('embulk/seattle-weather.yml');
    expect(out).toMatchObject({ delimiter: ',', header_lines: 1 });
    expect(out.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'date:timestamp',
      'precipitation:double',
      'temp_max:double',
      'temp_min:double',
      'wind:double',
      'weather:string',
    ]);
  });

  it('previews rows that match the file', async () => {
    const out = await call<{
      columns: { name: string }[];
      rows: Record<string, string>[];
      sampled: number;
      log: string;
    }>(embulkPreview, { config: 'embulk/seattle-weather.yml', limit: 5 }, ctx);
    expect(out.columns.map((c) => c.name)).toEqual(WEATHER_LINES[0]?.split(','));
    expect(out.rows).toHaveLength(5);
    for (const [index, row] of out.rows.entries()) {
      const [date, ...rest] = WEATHER_LINES[index + 1]?.split(',') ?? [];
      // Embulk prints timestamps as '2012-01-01 00:00:00 UTC'.
      expect(row.date).toBe(`${date} 00:00:00 UTC`);
      expect([row.precipitation, row.temp_max, row.temp_min, row.wind].map(Number)).toEqual(
        rest.slice(0, 4).map(Number),
      );
      expect(row.weather).toBe(rest[4]);
    }
    expect(out.sampled).toBeGreaterThan(5);
    expect(existsSync(join(ws.root, out.log))).toBe(true);
  });

  it('runs to a local folder: one file with every row, dates as in the input', async () => {
    const out = await call<{ rows: number; files: string[]; log: string }>(
      embulkRun,
      { config: 'embulk/seattle-weather.yml' },
      ctx,
    );
    expect(out.rows).toBe(WEATHER_ROWS);
    expect(out.files).toEqual(['output/embulk/seattle-weather/seattle-weather.000.00.csv']);
    const written = readFileSync(join(ws.root, out.files[0] ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(written).toHaveLength(WEATHER_LINES.length);
    expect(written[1]).toBe(WEATHER_LINES[1]);
    expect(out.log).toMatch(/^\.datastack\/embulk\/seattle-weather-run-.*\.log$/);
    expect(readFileSync(join(ws.root, out.log), 'utf8')).toContain('Committed.');
  });

  it('runEmbulk, as pipeline stages call it, guesses a semicolon file and loads it', async () => {
    await call(embulkGenerate, { source: 'data/weather-semicolon.txt', output_dir: 'out/semi' }, ctx);
    const result = await runEmbulk(ctx, 'embulk/weather-semicolon.yml');
    expect(result.rows).toBe(WEATHER_ROWS);
    expect(result.files).toEqual(['out/semi/weather-semicolon.000.00.csv']);
  });

  it('a bad column type fails with Embulk’s error lines and the log path', async () => {
    const config = readFileSync(join(ws.root, 'embulk/seattle-weather.yml'), 'utf8').replace(
      'name: weather\n        type: string',
      'name: weather\n        type: long',
    );
    expect(config).toContain('type: long');
    writeFileSync(join(ws.root, 'embulk/bad.yml'), config.replace('seattle-weather.', 'bad.'));
    const error = await callError(embulkRun, { config: 'embulk/bad.yml' }, ctx);
    expect(error.code).toBe('query_error');
    expect(error.message).toContain('Embulk run failed');
    expect(error.message).toContain('NumberFormatException: For input string: "drizzle"');
    const log = /The full log is (\S+);/.exec(error.hint ?? '')?.[1] ?? '';
    expect(log).toMatch(/^\.datastack\/embulk\/bad-run-/);
    expect(readFileSync(join(ws.root, log), 'utf8')).toContain('DataException');
  });
});
