/**
 * `s3`: the moto server (PyPI `moto[server]`), an in-memory S3 that accepts any credentials.
 * It stands in for MinIO, which is not in the registries we install from. Objects are lost
 * when it stops.
 */
import { ToolError } from '../../core/errors.js';
import { probe } from '../http.js';
import { installedPythonVersion } from '../python.js';
import { venvBin } from '../paths.js';
import { DEV_S3, type ServiceDefinition, type StackRuntime } from '../service.js';

/** Pinned so every machine and CI run the same server; bump deliberately. */
export const MOTO_SPEC = 'moto[server]==5.2.5';

const endpoint = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.s3}`;

export const s3Service: ServiceDefinition = {
  name: 's3',
  description: 'S3 object store (moto server, in memory)',
  // Not 5000 (moto's default): MLflow defaults to 5000 and macOS AirPlay takes it. Not 9000:
  // MinIO's and Nessie's management default.
  ports: { s3: 9010 },
  dependencies: [],
  pythonPackages: [MOTO_SPEC],
  installedVersion: (rt) => {
    const version = installedPythonVersion(rt.cacheDir, 'moto');
    return version ? `moto ${version}` : undefined;
  },
  launch: (rt) =>
    Promise.resolve({
      command: venvBin(rt.cacheDir, 'moto_server'),
      args: ['-H', '127.0.0.1', '-p', String(rt.ports.s3)],
    }),
  async afterStart(rt) {
    // The Iceberg warehouse lives here; creating an existing bucket is a no-op in us-east-1.
    const created = await probe(`${endpoint(rt)}/${DEV_S3.bucket}`, { method: 'PUT', timeoutMs: 10_000 });
    if (!created.ok && created.status !== 409) {
      throw new ToolError(
        'unavailable',
        `Could not create the bucket "${DEV_S3.bucket}" on ${endpoint(rt)}: ${created.status ?? created.error}`,
        {
          hint: 'See `datastack stack logs s3`',
        },
      );
    }
  },
  async health(rt, signal) {
    const url = endpoint(rt);
    // moto answers its own API at /moto-api/; a different S3 server on the port would not.
    const answer = await probe(`${url}/moto-api/`, signal ? { signal } : {});
    if (!answer.ok) return { ok: false, url, detail: answer.error ?? `HTTP ${answer.status}` };
    // moto does not report its version over HTTP; status shows the installed one it recorded.
    return { ok: true, url };
  },
  startTimeoutSeconds: 60,
  profile: (rt) => ({
    s3: {
      endpoint: endpoint(rt),
      region: DEV_S3.region,
      access_key_id: DEV_S3.accessKeyId,
      secret_access_key: DEV_S3.secretAccessKey,
      force_path_style: true,
    },
  }),
  stopWarning: 'moto keeps objects in memory: every bucket and object is lost',
};
