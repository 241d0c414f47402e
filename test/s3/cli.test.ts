/** `datastack s3 …` through the built bin (build first: `npm run build`), against the real S3 server. */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VEGA_DATA } from '../query/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import type { TempWorkspace } from '../helpers/workspace.js';
import { bucketName, dropBucket, s3Env, s3Workspace, type S3TestEnv } from './fixtures.js';

let env: S3TestEnv;
let ws: TempWorkspace;
const bucket = bucketName('cli');

beforeAll(async () => {
  env = await s3Env();
  ws = s3Workspace(env);
  copyFileSync(join(VEGA_DATA, 'flights-3m.parquet'), join(ws.root, 'flights.parquet'));
  await env.raw.send(new CreateBucketCommand({ Bucket: bucket }));
}, 600_000);

afterAll(async () => {
  if (env) {
    await dropBucket(env.raw, bucket);
    env.raw.destroy();
  }
  ws?.cleanup();
});

describe('datastack s3 on the command line', () => {
  it('uploads a real 13 MB Parquet file in parts with --json, and the server holds its bytes', async () => {
    const result = await runCli(
      ['s3', 'upload', 'flights.parquet', bucket, 'raw/flights.parquet', '--part-size-mib', '5', '--json'],
      {
        cwd: ws.root,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const size = readFileSync(join(ws.root, 'flights.parquet')).length;
    const out = JSON.parse(result.stdout) as {
      bucket: string;
      count: number;
      bytes: number;
      objects: Array<Record<string, unknown>>;
    };
    expect(out).toMatchObject({ bucket, count: 1, bytes: size });
    expect(out.objects[0]).toMatchObject({ key: 'raw/flights.parquet', size, parts: 3 });
    expect(out.objects[0]?.etag).toMatch(/-3"$/);

    const got = await env.raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/flights.parquet' }));
    // Buffer.equals: vitest's deep equality walks 13 MB byte by byte for minutes.
    const stored = Buffer.from(await got.Body!.transformToByteArray());
    expect(stored.equals(readFileSync(join(ws.root, 'flights.parquet')))).toBe(true);
    expect(got.ContentType).toBe('application/vnd.apache.parquet');
  });

  it('reports a missing bucket with exit code and JSON error, no stack trace', async () => {
    const result = await runCli(['s3', 'ls', 'ds-no-such-bucket-here', '--json'], { cwd: ws.root });
    expect(result.code).not.toBe(0);
    const parsed = JSON.parse(result.stdout || result.stderr) as { error: { code: string; hint: string } };
    expect(parsed.error.code).toBe('not_found');
    expect(parsed.error.hint).toContain('datastack s3 list-buckets');
    expect(result.stderr + result.stdout).not.toContain(env.services.s3.secretAccessKey);
  });
});
