/**
 * data add → data version → data diff on a real dataset (vega's seattle-weather.csv), with real
 * git and DVC: the tags exist in git, the .dvc pointers hold the right md5, and the diff reports
 * the sizes and row counts of both versions read back from the DVC cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataAdd } from '../../tools/data/add-data.js';
import { dataDiff } from '../../tools/data/diff-data.js';
import { dataVersion } from '../../tools/data/version-data.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, DVC_TIMEOUT, dataRows, git, makeRepo, vegaCsv } from './fixtures.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

let ws: TempWorkspace;
let ctx: ToolContext;
const v1 = vegaCsv('seattle-weather.csv');
// Version 2 drops the last 400 rows and adds a second file.
const v2 = vegaCsv('seattle-weather.csv', dataRows(v1) - 400);
const cars = vegaCsv('cars.json');

beforeAll(async () => {
  ws = makeRepo({ '.gitkeep': '' });
  ws.write('data/weather.csv', v1);
  ctx = await contextFor(ws.root);
}, DVC_TIMEOUT);
afterAll(() => ws?.cleanup());

describe('data add, version and diff', () => {
  it(
    'adds a file: dvc init on first use, .dvc pointer with the md5, staged in git',
    async () => {
      const added = await call(dataAdd, { path: 'data/weather.csv' }, ctx);
      expect(added).toMatchObject({
        path: 'data/weather.csv',
        dvc_file: 'data/weather.csv.dvc',
        md5: md5(v1),
        size: Buffer.byteLength(v1),
        dvc_initialised: true,
      });
      expect(readFileSync(join(ws.root, 'data/weather.csv.dvc'), 'utf8')).toContain(`md5: ${md5(v1)}`);
      const staged = git(ws.root, ['diff', '--cached', '--name-only']).split('\n');
      expect(staged).toEqual(
        expect.arrayContaining(['data/weather.csv.dvc', 'data/.gitignore', '.dvc/config']),
      );
      expect(git(ws.root, ['ls-files', 'data/weather.csv'])).toBe('');
    },
    DVC_TIMEOUT,
  );

  it('tags version 1, and refuses the same tag again', async () => {
    const version = await call<{ tag: string; commit: string; committed: string[]; data: unknown[] }>(
      dataVersion,
      { tag: 'v1.0-raw' },
      ctx,
    );
    expect(version.committed).toContain('data/weather.csv.dvc');
    expect(version.data).toEqual([{ path: 'data/weather.csv', md5: md5(v1), size: Buffer.byteLength(v1) }]);
    expect(git(ws.root, ['tag', '--list'])).toBe('v1.0-raw');
    expect(git(ws.root, ['rev-parse', 'v1.0-raw^{commit}'])).toBe(version.commit);
    expect(git(ws.root, ['show', 'v1.0-raw:data/weather.csv.dvc'])).toContain(md5(v1));

    const again = await callError(dataVersion, { tag: 'v1.0-raw' }, ctx);
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('already exists');
  });

  it('refuses to version data changed since its last add, and says what to run', async () => {
    ws.write('data/weather.csv', v2);
    const error = await callError(dataVersion, { tag: 'v1.1' }, ctx);
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('data/weather.csv');
    expect(error.hint).toContain('datastack data add data/weather.csv');
    expect(git(ws.root, ['tag', '--list'])).toBe('v1.0-raw');
  });

  it('diffs two tags: files, sizes and row counts from the DVC cache', async () => {
    await call(dataAdd, { path: 'data/weather.csv' }, ctx);
    ws.write('data/cars.json', cars);
    await call(dataAdd, { path: 'data/cars.json' }, ctx);
    await call(dataVersion, { tag: 'v1.2-cleaned', message: 'drop the last 400 days; add cars' }, ctx);
    expect(git(ws.root, ['tag', '--list']).split('\n')).toEqual(['v1.0-raw', 'v1.2-cleaned']);

    const diff = await call<{ changes: unknown[]; not_in_cache: string[] }>(
      dataDiff,
      { from: 'v1.0-raw', to: 'v1.2-cleaned' },
      ctx,
    );
    expect(diff.not_in_cache).toEqual([]);
    expect(diff.changes).toEqual([
      {
        path: 'data/cars.json',
        change: 'added',
        md5_after: md5(cars),
        size_after: Buffer.byteLength(cars),
        rows_after: (JSON.parse(cars) as unknown[]).length,
      },
      {
        path: 'data/weather.csv',
        change: 'modified',
        md5_before: md5(v1),
        md5_after: md5(v2),
        size_before: Buffer.byteLength(v1),
        size_after: Buffer.byteLength(v2),
        rows_before: dataRows(v1),
        rows_after: dataRows(v2),
      },
    ]);
  });

  it('names an unknown tag, and a folder that is no git repository', async () => {
    const unknown = await callError(dataDiff, { from: 'v0-nope', to: 'v1.0-raw' }, ctx);
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toContain('v0-nope');
    const plain = makeWorkspace({ 'x.csv': 'a\n1\n' });
    try {
      const error = await callError(dataAdd, { path: 'x.csv' }, await contextFor(plain.root));
      expect(error.code).toBe('not_found');
      expect(error.hint).toContain('git init');
      expect(existsSync(join(plain.root, '.dvc'))).toBe(false);
    } finally {
      plain.cleanup();
    }
  });
});
