/** `datastack data ingest` and `datastack embulk …` through the built bin (`npm run build` first). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embulkInstall } from '../../tools/embulk/install-embulk.js';
import { call } from '../helpers/call.js';
import { runCli } from '../helpers/run-cli.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { WEATHER_LINES, WEATHER_ROWS, weatherWorkspace } from './fixtures.js';

let ws: TempWorkspace;
// The CLI child gets HOME = the workspace; point it at the cache this process installed into.
const cacheEnv = {
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'),
};

beforeAll(async () => {
  ws = weatherWorkspace();
  await call(embulkInstall, {}, await contextFor(ws.root));
}, 600_000);

afterAll(() => ws?.cleanup());

describe('datastack data ingest', () => {
  it('guesses, writes the config, runs Embulk and reports rows, files and log as JSON', async () => {
    const result = await runCli(['data', 'ingest', 'data/seattle-weather.csv', '--json'], {
      cwd: ws.root,
      env: cacheEnv,
      timeoutMs: 120_000,
    });
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      rows: number;
      files: string[];
      config: string;
      columns: string[];
      log: string;
    };
    expect(out.rows).toBe(WEATHER_ROWS);
    expect(out.config).toBe('embulk/seattle-weather.yml');
    expect(out.columns[0]).toBe('date:timestamp');
    expect(
      readFileSync(join(ws.root, out.files[0] ?? ''), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(WEATHER_LINES);

    const validate = await runCli(['embulk', 'validate', 'embulk/seattle-weather.yml'], {
      cwd: ws.root,
      env: cacheEnv,
    });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/valid:\s+true/);
  }, 180_000);

  it('without Embulk and without Maven to install it, says so and how to fix it', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'embulk-no-cache-'));
    const result = await runCli(['embulk', 'run', 'embulk/seattle-weather.yml'], {
      cwd: ws.root,
      env: { XDG_CACHE_HOME: emptyCache, PATH: '/nonexistent' },
      timeoutMs: 60_000,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'Embulk 0.11.4 is not installed, and Maven (mvn), which installs it, was not found',
    );
    expect(result.stderr).toContain('datastack embulk install');
  }, 90_000);
});
