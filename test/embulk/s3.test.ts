/** Embulk loads that land in S3, and read from it, on the real local S3 server (moto). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { embulkGenerate } from '../../tools/embulk/generate-config.js';
import { embulkRun } from '../../tools/embulk/run-config.js';
import { call } from '../helpers/call.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { bucketName, dropBucket, s3Env, type S3TestEnv } from '../s3/fixtures.js';
import { WEATHER, WEATHER_LINES, WEATHER_ROWS, weatherWorkspace } from './fixtures.js';

let env: S3TestEnv;
let ws: TempWorkspace;
let ctx: ToolContext;
const bucket = bucketName('embulk');

beforeAll(async () => {
  env = await s3Env();
  ws = weatherWorkspace({ 'datastack.yaml': env.services.datastackYaml });
  ctx = await contextFor(ws.root);
  await env.raw.send(new CreateBucketCommand({ Bucket: bucket }));
}, 600_000);

afterAll(async () => {
  if (env) {
    await dropBucket(env.raw, bucket);
    env.raw.destroy();
  }
  ws?.cleanup();
});

const objectText = async (key: string) =>
  (await env.raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString() ?? '';

describe('Embulk and S3', () => {
  it('runs a CSV to S3: the object is in the bucket with every row', async () => {
    await call(
      embulkGenerate,
      { source: 'data/seattle-weather.csv', destination: 's3', bucket, prefix: 'landed/weather' },
      ctx,
    );
    const out = await call<{ rows: number; landed: { s3_uris: string[] } }>(
      embulkRun,
      { config: 'embulk/seattle-weather.yml' },
      ctx,
    );
    expect(out.rows).toBe(WEATHER_ROWS);
    expect(out.landed.s3_uris).toEqual([`s3://${bucket}/landed/weather/seattle-weather.000.00.csv`]);
    const text = await objectText('landed/weather/seattle-weather.000.00.csv');
    expect(text.trim().split('\n')).toEqual(WEATHER_LINES);
  });

  it('reads an S3 object: fetched into the project before the run', async () => {
    await env.raw.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'raw/weather.csv', Body: readFileSync(WEATHER) }),
    );
    const generated = await call<{ input: string }>(
      embulkGenerate,
      { source: `s3://${bucket}/raw/weather.csv`, output_dir: 'from-s3' },
      ctx,
    );
    expect(generated.input).toBe('.datastack/embulk/inbox/weather/weather.csv');
    const out = await call<{ rows: number; files: string[] }>(
      embulkRun,
      { config: 'embulk/weather.yml' },
      ctx,
    );
    expect(out.rows).toBe(WEATHER_ROWS);
    expect(
      readFileSync(join(ws.root, out.files[0] ?? ''), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(WEATHER_LINES);
  });
});
