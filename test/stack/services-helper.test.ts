/** The shared test services (test/helpers/services.ts) come up and answer as the other suites expect. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePythonPackages } from '../../tools/stack/python.js';
import { PYICEBERG_SPEC } from '../../tools/stack/services/nessie.js';
import { ensureServices, type ServiceEndpoints } from '../helpers/services.js';

describe('ensureServices', () => {
  let services: ServiceEndpoints;
  beforeAll(async () => {
    services = await ensureServices(['s3', 'nessie', 'iceberg']);
  }, 900_000);

  it('gives an S3 endpoint with the warehouse bucket', async () => {
    const response = await fetch(`${services.s3.endpoint}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Name>${services.s3.bucket}</Name>`);
  });

  it('gives a Nessie v2 URL and an Iceberg REST catalog with the warehouse', async () => {
    const config = (await (await fetch(`${services.nessie.url}/config`)).json()) as { defaultBranch: string };
    expect(config.defaultBranch).toBe('main');
    const iceberg = (await (
      await fetch(`${services.iceberg.url}/v1/config?warehouse=${services.iceberg.warehouse}`)
    ).json()) as {
      defaults: { prefix: string };
    };
    expect(decodeURIComponent(iceberg.defaults.prefix)).toBe(`main|${services.iceberg.warehouse}`);
  });

  it('is quick the second time (reuses what runs)', async () => {
    const started = performance.now();
    const again = await ensureServices(['s3', 'nessie']);
    expect(again.nessie.url).toBe(services.nessie.url);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(services.datastackYaml).toContain('profile: stack');
  });

  it('lets pyiceberg from the shared venv write a table through Nessie into S3', async () => {
    const { python } = await ensurePythonPackages([PYICEBERG_SPEC]);
    const table = `t${Date.now()}`;
    // The catalog hands out no S3 credentials: the client brings the dev ones.
    const script = `
import sys, pyarrow as pa
from pyiceberg.catalog import load_catalog
c = load_catalog("n", type="rest", uri=sys.argv[1], warehouse=sys.argv[2], **{"s3.access-key-id": sys.argv[3], "s3.secret-access-key": sys.argv[4], "s3.region": "us-east-1"})
c.create_namespace_if_not_exists("helper_test")
t = c.create_table("helper_test.${table}", schema=pa.schema([("x", pa.int64())]))
t.append(pa.table({"x": pa.array([1, 2, 3], pa.int64())}))
print(len(c.load_table("helper_test.${table}").scan().to_arrow()))
`;
    const { stdout } = await promisify(execFile)(python, [
      '-c',
      script,
      services.iceberg.url,
      services.iceberg.warehouse,
      services.s3.accessKeyId,
      services.s3.secretAccessKey,
    ]);
    expect(stdout.trim()).toBe('3');
  }, 120_000);
});
