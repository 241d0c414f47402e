/** The s3 tools on the `local` profile: a workspace folder is the lake, each subfolder a bucket. */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeTool, outputText } from '../../tools/core/invoke.js';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { s3CopyObject } from '../../tools/s3/copy-object.js';
import { s3CreateBucket } from '../../tools/s3/create-bucket.js';
import { s3DeleteBucket } from '../../tools/s3/delete-bucket.js';
import { s3DeleteObjects } from '../../tools/s3/delete-objects.js';
import { s3Download } from '../../tools/s3/download-object.js';
import { s3HeadObject } from '../../tools/s3/head-object.js';
import { s3ListBuckets } from '../../tools/s3/list-buckets.js';
import { s3ListObjects } from '../../tools/s3/list-objects.js';
import { s3Presign } from '../../tools/s3/presign-url.js';
import { s3SetVersioning } from '../../tools/s3/set-versioning.js';
import { s3Upload } from '../../tools/s3/upload-files.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError } from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeEach(async () => {
  ws = makeWorkspace({
    'data/sales.csv': 'region,amount\nnorth,10\nsouth,32\n',
    'data/nested/a.json': '{"a":1}\n',
    'data/nested/deeper/b.txt': 'bee\n',
  });
  ctx = await contextFor(ws.root, { confirm: () => Promise.resolve(true) });
});
afterEach(() => ws.cleanup());

const lake = (...parts: string[]) => join(ws.root, 'lake', ...parts);

/** Every file under the lake folder, relative, including any temporary ones. */
const lakeFiles = () =>
  existsSync(lake())
    ? readdirSync(lake(), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(lake().length + 1))
        .sort()
    : [];

describe('s3 tools on the local lake folder', () => {
  it('creates a bucket as a folder, idempotently, and lists it', async () => {
    expect(await call(s3CreateBucket, { bucket: 'raw-data' }, ctx)).toMatchObject({
      created: true,
      location: 'the lake folder lake/',
    });
    expect(existsSync(lake('raw-data'))).toBe(true);
    expect(await call(s3CreateBucket, { bucket: 'raw-data' }, ctx)).toMatchObject({ created: false });
    const listed = await call<{ buckets: Array<{ name: string }>; count: number }>(s3ListBuckets, {}, ctx);
    expect(listed.buckets.map((b) => b.name)).toEqual(['raw-data']);
  });

  it('uploads a file and a folder, then lists, heads, downloads and copies them', async () => {
    await call(s3CreateBucket, { bucket: 'lake1' }, ctx);
    const one = await call<{ objects: Array<{ key: string; size: number }> }>(
      s3Upload,
      { path: 'data/sales.csv', bucket: 'lake1', key: 'raw/' },
      ctx,
    );
    expect(one.objects).toEqual([{ key: 'raw/sales.csv', size: 32, parts: 1 }]);
    const folder = await call<{ count: number; bytes: number }>(
      s3Upload,
      { path: 'data/nested', bucket: 'lake1', key: 'n' },
      ctx,
    );
    expect(folder).toMatchObject({ count: 2, bytes: 12 });
    expect(lakeFiles()).toEqual(['lake1/n/a.json', 'lake1/n/deeper/b.txt', 'lake1/raw/sales.csv']);
    expect(readFileSync(lake('lake1', 'raw', 'sales.csv'), 'utf8')).toBe(
      'region,amount\nnorth,10\nsouth,32\n',
    );

    const top = await call<{ common_prefixes: string[]; objects: unknown[]; total: number }>(
      s3ListObjects,
      { bucket: 'lake1', delimiter: '/' },
      ctx,
    );
    expect(top).toMatchObject({ common_prefixes: ['n/', 'raw/'], objects: [], total: 2 });
    const under = await call<{ common_prefixes: string[]; objects: Array<{ key: string }> }>(
      s3ListObjects,
      { bucket: 'lake1', prefix: 'n/', delimiter: '/' },
      ctx,
    );
    expect(under.objects.map((o) => o.key)).toEqual(['n/a.json']);
    expect(under.common_prefixes).toEqual(['n/deeper/']);

    const head = await call<{ size: number; key: string }>(
      s3HeadObject,
      { bucket: 'lake1', key: 'n/deeper/b.txt' },
      ctx,
    );
    expect(head).toMatchObject({ key: 'n/deeper/b.txt', size: 4 });

    const got = await call<{ path: string; bytes: number }>(
      s3Download,
      { bucket: 'lake1', key: 'raw/sales.csv', path: 'out/' },
      ctx,
    );
    expect(got).toMatchObject({ path: 'out/sales.csv', bytes: 32 });
    expect(readFileSync(join(ws.root, 'out/sales.csv'), 'utf8')).toBe(
      readFileSync(join(ws.root, 'data/sales.csv'), 'utf8'),
    );

    await call(s3CreateBucket, { bucket: 'lake2' }, ctx);
    await call(
      s3CopyObject,
      { bucket: 'lake1', key: 'raw/sales.csv', to_bucket: 'lake2', to_key: 'copy.csv' },
      ctx,
    );
    expect(readFileSync(lake('lake2', 'copy.csv'), 'utf8')).toContain('north,10');
  });

  it('pages a listing with a token and says the total', async () => {
    await call(s3CreateBucket, { bucket: 'many' }, ctx);
    mkdirSync(lake('many', 'p'), { recursive: true });
    for (let i = 0; i < 25; i++)
      writeFileSync(lake('many', 'p', `f${String(i).padStart(2, '0')}.txt`), `${i}`);
    type Page = {
      objects: Array<{ key: string }>;
      shown: number;
      total: number;
      total_exact: boolean;
      next_token?: string;
    };
    const first = await call<Page>(s3ListObjects, { bucket: 'many', max_keys: 10 }, ctx);
    expect(first).toMatchObject({ shown: 10, total: 25, total_exact: true });
    expect(first.next_token).toBeTruthy();
    expect(outputText(s3ListObjects, first)).toMatch(
      /^many\/: showing 10 of 25 entries .*\nMore: continuation_token=/,
    );
    const keys = first.objects.map((o) => o.key);
    let token = first.next_token;
    while (token) {
      const page = await call<Page>(
        s3ListObjects,
        { bucket: 'many', max_keys: 10, continuation_token: token },
        ctx,
      );
      keys.push(...page.objects.map((o) => o.key));
      token = page.next_token;
    }
    expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => `p/f${String(i).padStart(2, '0')}.txt`));
  });

  it('downloads whole or not at all, and keeps existing files unless overwrite', async () => {
    await call(s3CreateBucket, { bucket: 'dl-bucket' }, ctx);
    await call(s3Upload, { path: 'data/sales.csv', bucket: 'dl-bucket' }, ctx);
    writeFileSync(join(ws.root, 'mine.csv'), 'precious');
    const refused = await callError(
      s3Download,
      { bucket: 'dl-bucket', key: 'sales.csv', path: 'mine.csv' },
      ctx,
    );
    expect(refused.code).toBe('conflict');
    expect(readFileSync(join(ws.root, 'mine.csv'), 'utf8')).toBe('precious');
    await call(s3Download, { bucket: 'dl-bucket', key: 'sales.csv', path: 'mine.csv', overwrite: true }, ctx);
    expect(readFileSync(join(ws.root, 'mine.csv'), 'utf8')).toContain('region');

    const missing = await callError(
      s3Download,
      { bucket: 'dl-bucket', key: 'nope.csv', path: 'x/nope.csv' },
      ctx,
    );
    expect(missing.code).toBe('not_found');
    expect(existsSync(join(ws.root, 'x'))).toBe(true);
    expect(readdirSync(join(ws.root, 'x'))).toEqual([]);
  });

  it('leaves no partial object when an upload is aborted', async () => {
    await call(s3CreateBucket, { bucket: 'abort-me' }, ctx);
    const big = join(ws.root, 'big.bin');
    writeFileSync(big, Buffer.alloc(32 * 1024 * 1024, 7));
    const controller = new AbortController();
    const aborting = await contextFor(ws.root, {
      signal: controller.signal,
      progress: () => controller.abort(),
    });
    const error = await callError(s3Upload, { path: 'big.bin', bucket: 'abort-me' }, aborting);
    expect(error.code).toBe('aborted');
    expect(lakeFiles()).toEqual([]);
  });

  it('deletes by key, keys or prefix; dry run first; reports missing keys; prunes empty folders', async () => {
    await call(s3CreateBucket, { bucket: 'del' }, ctx);
    await call(s3Upload, { path: 'data', bucket: 'del' }, ctx);
    type Del = { count: number; objects: Array<{ key: string }>; missing: string[]; dry_run: boolean };
    const dry = await call<Del>(s3DeleteObjects, { bucket: 'del', prefix: 'nested/', dry_run: true }, ctx);
    expect(dry).toMatchObject({ count: 2, dry_run: true });
    expect(lakeFiles()).toHaveLength(3);
    const some = await call<Del>(s3DeleteObjects, { bucket: 'del', keys: ['sales.csv', 'ghost.csv'] }, ctx);
    expect(some).toMatchObject({ count: 1, missing: ['ghost.csv'] });
    await call(s3DeleteObjects, { bucket: 'del', prefix: 'nested/' }, ctx);
    expect(lakeFiles()).toEqual([]);
    expect(readdirSync(lake('del'))).toEqual([]);
    const both = await callError(s3DeleteObjects, { bucket: 'del', key: 'a', prefix: 'b' }, ctx);
    expect(both.code).toBe('invalid_input');
  });

  it('asks before deleting, saying how many objects and which', async () => {
    await call(s3CreateBucket, { bucket: 'ask-me' }, ctx);
    await call(s3Upload, { path: 'data/nested', bucket: 'ask-me' }, ctx);
    const asked: ConfirmRequest[] = [];
    const declining = await contextFor(ws.root, {
      confirm: (request) => {
        asked.push(request);
        return Promise.resolve(false);
      },
    });
    const refused = await invokeTool(s3DeleteObjects, { bucket: 'ask-me', prefix: '' }, declining);
    expect(refused.ok ? '' : refused.error.code).toBe('refused');
    expect(asked.map((a) => a.summary)).toEqual([
      'Delete 2 objects (12 B) from ask-me: a.json, deeper/b.txt',
    ]);
    expect(lakeFiles()).toHaveLength(2);
    // A dry run needs no question.
    const dry = await invokeTool(s3DeleteObjects, { bucket: 'ask-me', prefix: '', dry_run: true }, declining);
    expect(dry.ok).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('refuses to delete a non-empty bucket unless force; asks first', async () => {
    await call(s3CreateBucket, { bucket: 'gone' }, ctx);
    await call(s3Upload, { path: 'data/sales.csv', bucket: 'gone' }, ctx);
    expect((await callError(s3DeleteBucket, { bucket: 'gone' }, ctx)).code).toBe('conflict');
    const dry = await callError(s3DeleteBucket, { bucket: 'gone', dry_run: true }, ctx);
    expect(dry.hint).toMatch(/force/);
    const declining = await contextFor(ws.root);
    const refused = await invokeTool(s3DeleteBucket, { bucket: 'gone', force: true }, declining);
    expect(refused.ok ? '' : refused.error.code).toBe('refused');
    expect(existsSync(lake('gone', 'sales.csv'))).toBe(true);
    expect(await call(s3DeleteBucket, { bucket: 'gone', force: true }, ctx)).toMatchObject({
      objects_deleted: 1,
      deleted: true,
    });
    expect(existsSync(lake('gone'))).toBe(false);
  });

  it('names a missing bucket or key, with a hint', async () => {
    const bucket = await callError(s3ListObjects, { bucket: 'nosuch' }, ctx);
    expect(bucket).toMatchObject({
      code: 'not_found',
      message: 'Bucket "nosuch" does not exist at the lake folder lake/',
    });
    expect(bucket.hint).toMatch(/datastack s3 list-buckets/);
    await call(s3CreateBucket, { bucket: 'there' }, ctx);
    const key = await callError(s3HeadObject, { bucket: 'there', key: 'a/b.csv' }, ctx);
    expect(key).toMatchObject({ code: 'not_found', message: 'Object "a/b.csv" not found in bucket "there"' });
    expect(key.hint).toMatch(/list-objects there --prefix a\//);
  });

  it('refuses keys and buckets that would leave the lake', async () => {
    await call(s3CreateBucket, { bucket: 'safe' }, ctx);
    const escape = await callError(
      s3Upload,
      { path: 'data/sales.csv', bucket: 'safe', key: '../../escaped.csv' },
      ctx,
    );
    expect(escape.code).toBe('invalid_input');
    expect(existsSync(join(ws.root, 'escaped.csv'))).toBe(false);
    expect((await callError(s3ListObjects, { bucket: '..' }, ctx)).code).toBe('invalid_input');
    const outside = makeWorkspace();
    try {
      symlinkSync(outside.root, lake('linked'));
      expect((await callError(s3ListObjects, { bucket: 'linked' }, ctx)).code).toBe('outside_workspace');
    } finally {
      outside.cleanup();
    }
  });

  it('says presigning and versioning need an S3 server', async () => {
    await call(s3CreateBucket, { bucket: 'plain' }, ctx);
    for (const [tool, input] of [
      [s3Presign, { bucket: 'plain', key: 'a' }],
      [s3SetVersioning, { bucket: 'plain', status: 'enabled' }],
    ] as const) {
      const error = await callError(tool, input, ctx);
      expect(error.code).toBe('config');
      expect(error.hint).toMatch(/datastack stack up/);
    }
  });

  it('rejects invalid bucket names before doing anything', async () => {
    for (const bad of ['Bad_Name', 'ab', 'has..dots', '192.168.1.1', '-dash']) {
      const error = await callError(s3CreateBucket, { bucket: bad }, ctx);
      expect(error.code, bad).toBe('invalid_input');
      expect(error.message).toContain(`Bucket name "${bad}"`);
    }
    expect(existsSync(lake())).toBe(false);
  });
});
