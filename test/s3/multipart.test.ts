/**
 * Multipart uploads against the real S3 server (moto): a 72 MiB file in parts, an upload aborted
 * mid-way, and one whose part is refused by the server mid-way. The world is checked with our own
 * client: the object's bytes, and ListMultipartUploads left empty.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressUpdate } from '../../tools/core/types.js';
import { s3Upload } from '../../tools/s3/upload-files.js';
import { configFor, contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import {
  bucketName,
  call,
  callError,
  dropBucket,
  openUploads,
  s3Env,
  s3Workspace,
  writeRandomFile,
  type S3TestEnv,
} from './fixtures.js';

const MIB = 1024 * 1024;
const SIZE = 72 * MIB;

let env: S3TestEnv;
let ws: TempWorkspace;
let big: string;
const bucket = bucketName('multipart');

beforeAll(async () => {
  env = await s3Env();
  ws = s3Workspace(env);
  big = join(ws.root, 'big.bin');
  await writeRandomFile(big, SIZE);
  await env.raw.send(new CreateBucketCommand({ Bucket: bucket }));
}, 600_000);

afterAll(async () => {
  if (env) {
    await dropBucket(env.raw, bucket);
    env.raw.destroy();
  }
  ws?.cleanup();
});

const sha256 = async (stream: AsyncIterable<Uint8Array>) => {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
};

const headOr404 = (key: string) =>
  env.raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => 200,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
  );

describe('multipart uploads', () => {
  it('uploads 72 MiB in 8 MiB parts, with byte progress, and the server holds the same bytes', async () => {
    const updates: ProgressUpdate[] = [];
    const ctx = await contextFor(ws.root, { progress: (u) => updates.push(u) });
    const out = await call<{ objects: Array<{ key: string; etag: string; parts: number; size: number }> }>(
      s3Upload,
      { path: 'big.bin', bucket, key: 'big/big.bin', part_size_mib: 8, concurrency: 4 },
      ctx,
    );
    await ctx.clients.closeAll();
    expect(out.objects[0]).toMatchObject({ key: 'big/big.bin', size: SIZE, parts: 9 });
    expect(out.objects[0]?.etag).toMatch(/-9"$/);

    const head = await env.raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/big.bin' }));
    expect(head.ContentLength).toBe(SIZE);
    expect(head.ETag).toMatch(/-9"$/);
    const got = await env.raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/big.bin' }));
    expect(await sha256(got.Body as AsyncIterable<Uint8Array>)).toBe(await sha256(createReadStream(big)));

    // Reports are throttled to a few a second, so a fast server may give only the first and the last.
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0]?.done).toBeLessThan(SIZE);
    expect(updates.every((u) => u.total === SIZE)).toBe(true);
    const done = updates.map((u) => u.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(SIZE);
    expect(await openUploads(env.raw, bucket)).toEqual([]);
  });

  it('leaves no multipart upload behind when aborted after the first progress event', async () => {
    const controller = new AbortController();
    let events = 0;
    const ctx = await contextFor(ws.root, {
      signal: controller.signal,
      progress: () => {
        events += 1;
        controller.abort();
      },
    });
    const error = await callError(
      s3Upload,
      { path: 'big.bin', bucket, key: 'aborted.bin', part_size_mib: 5, concurrency: 2 },
      ctx,
    );
    await ctx.clients.closeAll();
    expect(error.code).toBe('aborted');
    expect(events).toBeGreaterThanOrEqual(1);
    expect(await openUploads(env.raw, bucket, 'aborted.bin')).toEqual([]);
    expect(await headOr404('aborted.bin')).toBe(404);
  });

  it('leaves no multipart upload behind when the server refuses a part mid-way', async () => {
    // A proxy in front of the real server that answers part 3 of any upload with a 400, as a
    // server would for a bad request: not retried, so the upload fails after parts 1-2 exist.
    const upstream = new URL(env.services.s3.endpoint);
    let refusedParts = 0;
    const proxy: Server = createServer((req, res) => {
      if (/[?&]partNumber=3(&|$)/.test(req.url ?? '')) {
        refusedParts += 1;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>part refused by test proxy</Message></Error>',
        );
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const proxied = makeWorkspace({
      'datastack.yaml': env.services.datastackYaml.replace(
        env.services.s3.endpoint,
        `http://127.0.0.1:${port}`,
      ),
    });
    try {
      const ctx = await contextFor(ws.root, {
        config: { ...(await configFor(proxied.root)), root: ws.root },
      });
      const error = await callError(
        s3Upload,
        { path: 'big.bin', bucket, key: 'refused.bin', part_size_mib: 5, concurrency: 2 },
        ctx,
      );
      await ctx.clients.closeAll();
      expect(refusedParts).toBeGreaterThanOrEqual(1);
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('InvalidArgument');
      expect(await openUploads(env.raw, bucket, 'refused.bin')).toEqual([]);
      expect(await headOr404('refused.bin')).toBe(404);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      proxied.cleanup();
    }
  });
});
