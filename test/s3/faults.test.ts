/**
 * Bad input and faults: a closed port, invalid names, missing buckets and keys on the real server
 * (moto), and the wording of S3 errors (unit tests of the mapping, on errors shaped as the SDK
 * throws them, for the cases moto cannot produce such as AccessDenied).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTool, ToolContext } from '../../tools/core/types.js';
import { s3CopyObject } from '../../tools/s3/copy-object.js';
import { s3CreateBucket } from '../../tools/s3/create-bucket.js';
import { s3Download } from '../../tools/s3/download-object.js';
import { s3Fault } from '../../tools/s3/errors.js';
import { s3HeadObject } from '../../tools/s3/head-object.js';
import { s3ListBuckets } from '../../tools/s3/list-buckets.js';
import { s3ListObjects } from '../../tools/s3/list-objects.js';
import { s3Upload } from '../../tools/s3/upload-files.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { bucketName, callError, dropBucket, s3Env, s3Workspace, type S3TestEnv } from './fixtures.js';

let env: S3TestEnv;
let ws: TempWorkspace;
let ctx: ToolContext;
const bucket = bucketName('faults');

beforeAll(async () => {
  env = await s3Env();
  ws = s3Workspace(env);
  writeFileSync(join(ws.root, 'a.csv'), 'a\n1\n');
  ctx = await contextFor(ws.root);
  await env.raw.send(new CreateBucketCommand({ Bucket: bucket }));
}, 600_000);

afterAll(async () => {
  await ctx?.clients.closeAll();
  if (env) {
    await dropBucket(env.raw, bucket);
    env.raw.destroy();
  }
  ws?.cleanup();
});

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('S3 endpoint down', () => {
  it('is unavailable, names the endpoint, suggests stack status, and writes nothing', async () => {
    const port = await closedPort();
    const down = makeWorkspace({
      'datastack.yaml': env.services.datastackYaml.replace(
        env.services.s3.endpoint,
        `http://127.0.0.1:${port}`,
      ),
      'a.csv': 'a\n1\n',
    });
    try {
      const downCtx = await contextFor(down.root);
      const calls: Array<[AnyTool, unknown]> = [
        [s3ListBuckets, {}],
        [s3Upload, { path: 'a.csv', bucket: 'any-bucket' }],
        [s3Download, { bucket: 'any-bucket', key: 'a.csv', path: 'out/a.csv' }],
      ];
      for (const [tool, input] of calls) {
        const error = await callError(tool, input, downCtx);
        expect(error.code, tool.name).toBe('unavailable');
        expect(error.message).toBe(`S3 at http://127.0.0.1:${port} refused the connection`);
        expect(error.hint).toContain('datastack stack status');
        expect(error.recoverable).toBe(true);
        expect(JSON.stringify(error.toJSON())).not.toContain(env.services.s3.secretAccessKey);
      }
      expect(existsSync(join(down.root, 'out')) ? readdirSync(join(down.root, 'out')) : []).toEqual([]);
      await downCtx.clients.closeAll();
    } finally {
      down.cleanup();
    }
  });
});

describe('bad input and missing things on a real server', () => {
  it('rejects invalid bucket names before any call', async () => {
    for (const [tool, input] of [
      [s3CreateBucket, { bucket: 'Upper_Case' }],
      [s3CreateBucket, { bucket: 'x' }],
      [s3ListObjects, { bucket: 'bucket/with/key' }],
      [s3Upload, { path: 'a.csv', bucket: 'spaces are bad' }],
    ] as const) {
      const error = await callError(tool, input, ctx);
      expect(error.code, JSON.stringify(input)).toBe('invalid_input');
      expect(error.message).toMatch(/Bucket name ".*" /);
    }
  });

  it('names a missing bucket, with a hint, for every kind of call', async () => {
    const missing = bucketName('missing');
    for (const [tool, input] of [
      [s3ListObjects, { bucket: missing }],
      [s3HeadObject, { bucket: missing, key: 'a.csv' }],
      [s3Download, { bucket: missing, key: 'a.csv', path: 'dl/a.csv' }],
      [s3Upload, { path: 'a.csv', bucket: missing }],
      [s3CopyObject, { bucket: missing, key: 'a.csv', to_key: 'b.csv' }],
    ] as const) {
      const error = await callError(tool, input, ctx);
      expect(error.code, tool.name).toBe('not_found');
      expect(error.message).toBe(`Bucket "${missing}" does not exist at ${env.services.s3.endpoint}`);
      expect(error.hint).toContain('datastack s3 list-buckets');
    }
    expect(readdirSync(ws.root).filter((name) => name.startsWith('dl'))).toEqual(['dl']);
    expect(readdirSync(join(ws.root, 'dl'))).toEqual([]);
  });

  it('names a missing key in an existing bucket', async () => {
    for (const [tool, input] of [
      [s3HeadObject, { bucket, key: 'raw/none.csv' }],
      [s3Download, { bucket, key: 'raw/none.csv', path: 'none.csv' }],
      [s3CopyObject, { bucket, key: 'raw/none.csv', to_key: 'b.csv' }],
    ] as const) {
      const error = await callError(tool, input, ctx);
      expect(error.code, tool.name).toBe('not_found');
      expect(error.message).toBe(`Object "raw/none.csv" not found in bucket "${bucket}"`);
      expect(error.hint).toContain(`datastack s3 list-objects ${bucket} --prefix raw/`);
    }
    expect(existsSync(join(ws.root, 'none.csv'))).toBe(false);
  });
});

describe('wording of S3 errors', () => {
  const place = {
    location: 'http://s3.test:9000',
    bucket: 'b',
    key: 'k',
    secrets: ['AKIDSECRET1', 'wJalrXUtnFEMI'],
  };
  const sdkError = (name: string, status: number, message = name) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

  it('maps access problems to unauthorized, never echoing credentials', () => {
    for (const name of ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']) {
      const error = s3Fault(sdkError(name, 403, 'key AKIDSECRET1 signed with wJalrXUtnFEMI'), place);
      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe(`S3 at http://s3.test:9000 refused access to b/k (${name})`);
      expect(error.hint).toContain('datastack config show');
    }
    const other = s3Fault(sdkError('WeirdThing', 400, 'bad AKIDSECRET1 wJalrXUtnFEMI'), place);
    expect(other.message).not.toMatch(/AKIDSECRET1|wJalrXUtnFEMI/);
  });

  it('maps network failures, also inside an AggregateError, to unavailable', () => {
    const refused = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED ::1:9000'), { code: 'ECONNREFUSED' })],
      'x',
    );
    expect(s3Fault(refused, place)).toMatchObject({
      code: 'unavailable',
      message: 'S3 at http://s3.test:9000 refused the connection',
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(s3Fault(reset, place).message).toBe(
      'S3 at http://s3.test:9000 dropped the connection (ECONNRESET)',
    );
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(s3Fault(timeout, place).message).toBe('S3 at http://s3.test:9000 did not answer in time');
  });

  it('maps the rest by name and status', () => {
    expect(s3Fault(sdkError('NoSuchBucket', 404), place).code).toBe('not_found');
    expect(s3Fault(sdkError('BucketNotEmpty', 409), place).code).toBe('conflict');
    expect(s3Fault(sdkError('InternalError', 500), place).code).toBe('unavailable');
    expect(s3Fault(Object.assign(new Error('x'), { name: 'AbortError' }), place).code).toBe('aborted');
    expect(
      s3Fault(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
        place,
      ).code,
    ).toBe('config');
  });
});
