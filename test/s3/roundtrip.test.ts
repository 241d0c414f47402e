/**
 * The s3 tools against a real S3 server: moto, started by the same code as `datastack stack up`
 * (test/helpers/services.ts). Every check reads the server back with an SDK client of our own.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { s3CopyObject } from '../../tools/s3/copy-object.js';
import { s3CreateBucket } from '../../tools/s3/create-bucket.js';
import { s3DeleteBucket } from '../../tools/s3/delete-bucket.js';
import { s3DeleteObjects } from '../../tools/s3/delete-objects.js';
import { s3Download } from '../../tools/s3/download-object.js';
import { s3HeadObject } from '../../tools/s3/head-object.js';
import { s3ListBuckets } from '../../tools/s3/list-buckets.js';
import { s3ListObjectVersions } from '../../tools/s3/list-object-versions.js';
import { s3ListObjects } from '../../tools/s3/list-objects.js';
import { s3Presign } from '../../tools/s3/presign-url.js';
import { s3SetVersioning } from '../../tools/s3/set-versioning.js';
import { s3Upload } from '../../tools/s3/upload-files.js';
import { VEGA_DATA } from '../query/fixtures.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { bucketName, call, dropBucket, s3Env, s3Workspace, type S3TestEnv } from './fixtures.js';

let env: S3TestEnv;
let ws: TempWorkspace;
let ctx: ToolContext;
const bucket = bucketName('roundtrip');
const weather = () => readFileSync(join(ws.root, 'data', 'seattle-weather.csv'));

beforeAll(async () => {
  env = await s3Env();
  ws = s3Workspace(env);
  mkdirSync(join(ws.root, 'data', 'more'), { recursive: true });
  copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'data', 'seattle-weather.csv'));
  copyFileSync(join(VEGA_DATA, 'cars.json'), join(ws.root, 'data', 'more', 'cars.json'));
  ctx = await contextFor(ws.root, { confirm: () => Promise.resolve(true) });
}, 600_000);

afterAll(async () => {
  await ctx?.clients.closeAll();
  if (env) {
    await dropBucket(env.raw, bucket);
    env.raw.destroy();
  }
  ws?.cleanup();
});

const body = async (key: string, versionId?: string) => {
  const out = await env.raw.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
  return Buffer.from(await out.Body!.transformToByteArray());
};

describe('S3 round trip on a real server', () => {
  it('creates a bucket, uploads a file and a folder, lists and heads them', async () => {
    expect(await call(s3CreateBucket, { bucket }, ctx)).toMatchObject({
      created: true,
      location: env.services.s3.endpoint,
    });
    await env.raw.send(new HeadBucketCommand({ Bucket: bucket }));
    const buckets = await call<{ buckets: Array<{ name: string }> }>(s3ListBuckets, {}, ctx);
    expect(buckets.buckets.map((b) => b.name)).toContain(bucket);

    const up = await call<{ objects: Array<{ key: string; etag: string }> }>(
      s3Upload,
      { path: 'data', bucket, key: 'raw' },
      ctx,
    );
    expect(up.objects.map((o) => o.key)).toEqual(['raw/more/cars.json', 'raw/seattle-weather.csv']);
    const listed = await env.raw.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['raw/more/cars.json', 'raw/seattle-weather.csv']);
    expect(await body('raw/seattle-weather.csv')).toEqual(weather());

    const top = await call<{ objects: Array<{ key: string }>; common_prefixes: string[] }>(
      s3ListObjects,
      { bucket, prefix: 'raw/', delimiter: '/' },
      ctx,
    );
    expect(top.objects.map((o) => o.key)).toEqual(['raw/seattle-weather.csv']);
    expect(top.common_prefixes).toEqual(['raw/more/']);
    expect(outputText(s3ListObjects, top)).toContain('raw/more/ (prefix)');

    const head = await call<{ size: number; etag: string; content_type: string }>(
      s3HeadObject,
      { bucket, key: 'raw/seattle-weather.csv' },
      ctx,
    );
    const md5 = createHash('md5').update(weather()).digest('hex');
    expect(head).toMatchObject({ size: weather().length, etag: `"${md5}"`, content_type: 'text/csv' });
  });

  it('downloads the exact bytes, and copies server side', async () => {
    const got = await call<{ path: string; bytes: number }>(
      s3Download,
      { bucket, key: 'raw/seattle-weather.csv', path: 'back/' },
      ctx,
    );
    expect(got).toMatchObject({ path: 'back/seattle-weather.csv', bytes: weather().length });
    expect(readFileSync(join(ws.root, 'back', 'seattle-weather.csv'))).toEqual(weather());

    await call(s3CopyObject, { bucket, key: 'raw/seattle-weather.csv', to_key: 'copies/weather.csv' }, ctx);
    expect(await body('copies/weather.csv')).toEqual(weather());
  });

  it('presigns GET and PUT URLs that work with plain fetch()', async () => {
    const get = await call<{ url: string; expires_at: string }>(
      s3Presign,
      { bucket, key: 'raw/seattle-weather.csv', expires_in: 300 },
      ctx,
    );
    expect(new Date(get.expires_at).getTime()).toBeGreaterThan(Date.now() + 290_000);
    const fetched = await fetch(get.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(weather());

    const put = await call<{ url: string }>(
      s3Presign,
      { bucket, key: 'uploads/by-url.txt', method: 'PUT' },
      ctx,
    );
    const sent = await fetch(put.url, { method: 'PUT', body: 'sent through a presigned URL' });
    expect(sent.status).toBe(200);
    expect((await body('uploads/by-url.txt')).toString()).toBe('sent through a presigned URL');
    // The secret signs the URL but is never in it.
    expect(put.url).not.toContain(env.services.s3.secretAccessKey);
  });

  it('keeps two versions of a key once versioning is on', async () => {
    expect(await call(s3SetVersioning, { bucket, status: 'enabled' }, ctx)).toMatchObject({
      previous: 'off',
      status: 'enabled',
    });
    writeFileSync(join(ws.root, 'note.txt'), 'first');
    const first = await call<{ objects: Array<{ version_id: string }> }>(
      s3Upload,
      { path: 'note.txt', bucket, key: 'notes/note.txt' },
      ctx,
    );
    writeFileSync(join(ws.root, 'note.txt'), 'second, longer');
    await call(s3Upload, { path: 'note.txt', bucket, key: 'notes/note.txt' }, ctx);

    type Versions = {
      versions: Array<{ key: string; version_id: string; is_latest: boolean; size: number }>;
    };
    const listed = await call<Versions>(s3ListObjectVersions, { bucket, prefix: 'notes/note.txt' }, ctx);
    expect(listed.versions).toHaveLength(2);
    expect(listed.versions.map((v) => [v.size, v.is_latest])).toEqual([
      [14, true],
      [5, false],
    ]);
    const oldId = first.objects[0]?.version_id;
    expect(listed.versions[1]?.version_id).toBe(oldId);
    await call(s3Download, { bucket, key: 'notes/note.txt', version_id: oldId, path: 'old.txt' }, ctx);
    expect(readFileSync(join(ws.root, 'old.txt'), 'utf8')).toBe('first');
  });

  it('deletes after a dry run that deletes nothing', async () => {
    type Del = { count: number; dry_run: boolean; objects: Array<{ key: string }>; versioned: boolean };
    const dry = await call<Del>(s3DeleteObjects, { bucket, prefix: 'raw/', dry_run: true }, ctx);
    expect(dry).toMatchObject({ count: 2, dry_run: true });
    expect(dry.objects.map((o) => o.key)).toEqual(['raw/more/cars.json', 'raw/seattle-weather.csv']);
    const still = await env.raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/' }));
    expect(still.KeyCount).toBe(2);

    const done = await call<Del>(s3DeleteObjects, { bucket, prefix: 'raw/' }, ctx);
    expect(done).toMatchObject({ count: 2, dry_run: false, versioned: true });
    const after = await env.raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/' }));
    expect(after.KeyCount ?? 0).toBe(0);
    await expect(
      env.raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/seattle-weather.csv' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('deletes the bucket with everything in it (force), versions included', async () => {
    const dry = await call<{ objects_deleted: number }>(
      s3DeleteBucket,
      { bucket, force: true, dry_run: true },
      ctx,
    );
    expect(dry.objects_deleted).toBeGreaterThanOrEqual(6);
    await call(s3DeleteBucket, { bucket, force: true }, ctx);
    await expect(env.raw.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});
