/**
 * data remote / push / status / pull / restore against the real local S3 server (moto, started by
 * the project's own stack code). The bucket is read back with the AWS SDK, independently of DVC.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataAdd } from '../../tools/data/add-data.js';
import { dataRemote } from '../../tools/data/configure-remote.js';
import { dataPull } from '../../tools/data/pull-data.js';
import { dataPush } from '../../tools/data/push-data.js';
import { dataRestore } from '../../tools/data/restore-data.js';
import { dataStatus } from '../../tools/data/show-status.js';
import { dataVersion } from '../../tools/data/version-data.js';
import type { ToolContext } from '../../tools/core/types.js';
import { ensureServices, type ServiceEndpoints } from '../helpers/services.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, DVC_TIMEOUT, makeRepo, vegaCsv } from './fixtures.js';

let services: ServiceEndpoints;
let raw: S3Client;
let ws: TempWorkspace;
let ctx: ToolContext;
const bucket = `dvc-${createHash('md5').update(String(Math.random())).digest('hex').slice(0, 10)}`;
const weather = vegaCsv('seattle-weather.csv');
const md5 = createHash('md5').update(weather).digest('hex');

/** A port nothing listens on: bound once by us, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  services = await ensureServices(['s3']);
  raw = new S3Client({
    endpoint: services.s3.endpoint,
    region: services.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
  });
  await raw.send(new CreateBucketCommand({ Bucket: bucket }));
  ws = makeRepo({ 'datastack.yaml': services.datastackYaml });
  ws.write('data/weather.csv', weather);
  ctx = await contextFor(ws.root);
  await call(dataAdd, { path: 'data/weather.csv' }, ctx);
}, DVC_TIMEOUT);
afterAll(() => {
  ws?.cleanup();
  raw?.destroy();
});

// Each DVC call against S3 loads boto/s3fs (seconds); on a busy 2-core machine a push took 47 s.
describe('data remote, push, status, pull and restore on S3', { timeout: 300_000 }, () => {
  it('writes the remote to .dvc/config and the keys only to .dvc/config.local', async () => {
    const out = await call(dataRemote, { url: `s3://${bucket}/dvc` }, ctx);
    expect(out).toEqual({
      name: 'storage',
      url: `s3://${bucket}/dvc`,
      endpoint: services.s3.endpoint,
      default: true,
      credentials: '.dvc/config.local',
      staged: ['.dvc/config'],
    });
    expect(JSON.stringify(out)).not.toContain(services.s3.secretAccessKey);
    const shared = readFileSync(join(ws.root, '.dvc/config'), 'utf8');
    expect(shared).toContain(`url = s3://${bucket}/dvc`);
    expect(shared).toContain(`endpointurl = ${services.s3.endpoint}`);
    expect(shared).not.toContain(services.s3.secretAccessKey);
    expect(readFileSync(join(ws.root, '.dvc/config.local'), 'utf8')).toContain(
      `secret_access_key = ${services.s3.secretAccessKey}`,
    );
  });

  it('status shows the data as not pushed; push puts the object in the bucket', async () => {
    await call(dataVersion, { tag: 'v1' }, ctx);
    const before = await call(dataStatus, {}, ctx);
    expect(before).toMatchObject({ clean: false, remote: 'storage', not_in_remote: ['data/weather.csv'] });

    const pushed = await call(dataPush, {}, ctx);
    expect(pushed).toEqual({ remote: 'storage', url: `s3://${bucket}/dvc`, pushed: 1 });
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dvc/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`dvc/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`]);
    expect(listed.Contents?.[0]?.Size).toBe(Buffer.byteLength(weather));

    expect(await call(dataStatus, {}, ctx)).toMatchObject({ clean: true, not_in_remote: [] });
    expect(await call(dataPush, {}, ctx)).toMatchObject({ pushed: 0 });
  });

  it('pull brings the data back into an empty cache and workspace', async () => {
    rmSync(join(ws.root, '.dvc/cache'), { recursive: true, force: true });
    rmSync(join(ws.root, 'data/weather.csv'));
    const pulled = await call(dataPull, {}, ctx);
    expect(pulled).toMatchObject({ fetched: 1, added: 1 });
    expect(readFileSync(join(ws.root, 'data/weather.csv'), 'utf8')).toBe(weather);
  });

  it('pull refuses to overwrite local changes; restore discards them after confirmation', async () => {
    writeFileSync(join(ws.root, 'data/weather.csv'), 'date,weather\n2026-01-01,sun\n');
    const refused = await callError(dataPull, {}, ctx);
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('data/weather.csv');
    expect(refused.hint).toContain('data restore');

    const preview = await call(dataRestore, { dry_run: true }, ctx);
    expect(preview).toEqual({ overwritten: ['data/weather.csv'], from: 'remote', dry_run: true });
    expect(readFileSync(join(ws.root, 'data/weather.csv'), 'utf8')).not.toBe(weather);

    const asked: string[] = [];
    const declining = {
      ...ctx,
      confirm: (r: { summary: string }) => (asked.push(r.summary), Promise.resolve(false)),
    };
    expect((await callError(dataRestore, {}, declining)).code).toBe('refused');
    expect(asked[0]).toContain('data/weather.csv');

    const approving = { ...ctx, confirm: () => Promise.resolve(true) };
    expect(await call(dataRestore, {}, approving)).toMatchObject({
      overwritten: ['data/weather.csv'],
      dry_run: false,
    });
    expect(readFileSync(join(ws.root, 'data/weather.csv'), 'utf8')).toBe(weather);
  });

  it('names the endpoint when the remote is down', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    await call(dataRemote, { url: `s3://${bucket}/down`, name: 'down', endpoint, default: false }, ctx);
    for (const tool of [dataPush, dataPull]) {
      const error = await callError(tool, { remote: 'down' }, ctx);
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain(endpoint);
      expect(error.hint).toContain('datastack stack up s3');
    }
  });

  it('says how to set a remote when there is none', async () => {
    const error = await callError(dataPush, { remote: 'nope' }, ctx);
    expect(error.code).toBe('config');
    expect(error.hint).toContain('datastack data remote');
  });
});
