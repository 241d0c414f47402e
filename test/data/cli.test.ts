/** The data commands through the built `datastack` bin (build first: `npm run build`). */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import type { TempWorkspace } from '../helpers/workspace.js';
import { DVC_TIMEOUT, dataRows, git, makeRepo, vegaCsv } from './fixtures.js';

let ws: TempWorkspace;
const v1 = vegaCsv('cars.json');
const stocks = vegaCsv('stocks.csv');
beforeAll(() => {
  ws = makeRepo();
  ws.write('data/stocks.csv', stocks);
});
afterAll(() => ws.cleanup());

// The real home: DVC lives in the shared venv under ~/.cache/datastack, installed once.
const cli = (args: string[]) =>
  runCli(args, { cwd: ws.root, env: { HOME: homedir() }, timeoutMs: DVC_TIMEOUT });

describe('datastack data', () => {
  it(
    'adds, versions twice, diffs the tags, and restores only with --yes',
    async () => {
      expect((await cli(['data', 'add', 'data/stocks.csv'])).code).toBe(0);
      const first = await cli(['data', 'version', 'v1', '--json']);
      expect(first.code, first.stderr).toBe(0);
      expect(git(ws.root, ['tag', '--list'])).toBe('v1');

      ws.write('data/stocks.csv', vegaCsv('stocks.csv', 100));
      const added = await cli(['data', 'add', 'data/stocks.csv', '--commit', '--json']);
      expect(added.code, added.stderr).toBe(0);
      expect(JSON.parse(added.stdout)).toHaveProperty('commit');
      expect((await cli(['data', 'version', 'v2', '--message', 'first 100 rows'])).code).toBe(0);

      const diff = await cli(['data', 'diff', 'v1', 'v2', '--json']);
      expect(diff.code, diff.stderr).toBe(0);
      expect(JSON.parse(diff.stdout)).toMatchObject({
        changes: [
          { path: 'data/stocks.csv', change: 'modified', rows_before: dataRows(stocks), rows_after: 100 },
        ],
      });
      const human = await cli(['data', 'diff', 'v1', 'v2']);
      expect(human.stdout).toContain('data/stocks.csv');

      ws.write('data/stocks.csv', v1);
      const unasked = await cli(['data', 'restore']);
      expect(unasked.code).not.toBe(0);
      expect(unasked.stderr).toContain('--yes');
      const restored = await cli(['data', 'restore', '--yes', '--json']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(dataRows(readFileSync(join(ws.root, 'data/stocks.csv'), 'utf8'))).toBe(100);
    },
    DVC_TIMEOUT,
  );
});
