/**
 * `nessie`: the Nessie server from its Quarkus runner jar (Maven Central), Java 21+, in-memory
 * version store, auth off, bound to 127.0.0.1. Its Iceberg REST catalog (`/iceberg`) is
 * configured here too, with the warehouse `s3://warehouse/` on the `s3` service.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ensureJar, findJava, jarName, type MavenArtifact } from '../jvm.js';
import { parseJson, probe } from '../http.js';
import { jarsDir } from '../paths.js';
import { DEV_S3, type ServiceDefinition, type StackRuntime } from '../service.js';

/**
 * 0.99.0: the newest nessie-quarkus runner our Maven mirror serves (it lists 0.60.1 and 0.99.0;
 * 0.104+ resolve for the client jars only).
 */
export const NESSIE_VERSION = '0.99.0';

export const NESSIE_JAR: MavenArtifact = {
  groupId: 'org.projectnessie.nessie',
  artifactId: 'nessie-quarkus',
  version: NESSIE_VERSION,
  classifier: 'runner',
};

/** The name of the Iceberg warehouse Nessie serves (and of the bucket it lives in). */
export const WAREHOUSE = DEV_S3.bucket;

const baseUrl = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.nessie}`;

export interface NessieNetwork {
  /** Address Nessie binds to (`0.0.0.0` inside a container). */
  host: string;
  /** The S3 endpoint as Nessie reaches it. */
  s3Endpoint: string;
  /** The S3 endpoint handed to clients, when they reach it by another address (compose). */
  externalS3Endpoint?: string;
}

/** Nessie settings (`-D` properties or compose env); names from Nessie's configuration reference. */
export function nessieProperties(
  ports: Readonly<Record<string, number>>,
  network: NessieNetwork,
): Record<string, string> {
  return {
    'quarkus.http.host': network.host,
    'quarkus.http.port': String(ports.nessie),
    // The management default (9000) collides with MinIO and others: always set our own.
    'quarkus.management.host': network.host,
    'quarkus.management.port': String(ports.nessie_management),
    'nessie.version.store.type': 'IN_MEMORY',
    // The objects cache would take most of the heap; an in-memory store has nothing to cache.
    'nessie.version.store.persist.cache-capacity-mb': '32',
    'nessie.server.authentication.enabled': 'false',
    'nessie.catalog.default-warehouse': WAREHOUSE,
    [`nessie.catalog.warehouses.${WAREHOUSE}.location`]: `s3://${DEV_S3.bucket}/`,
    'nessie.catalog.service.s3.default-options.endpoint': network.s3Endpoint,
    ...(network.externalS3Endpoint
      ? { 'nessie.catalog.service.s3.default-options.external-endpoint': network.externalS3Endpoint }
      : {}),
    'nessie.catalog.service.s3.default-options.path-style-access': 'true',
    'nessie.catalog.service.s3.default-options.region': DEV_S3.region,
    'nessie.catalog.service.s3.default-options.auth-type': 'STATIC',
    // Credentials must be a secret reference; the `quarkus` provider reads `<name>.name/.secret`.
    'nessie.catalog.service.s3.default-options.access-key':
      'urn:nessie-secret:quarkus:datastack.s3-credentials',
    'datastack.s3-credentials.name': DEV_S3.accessKeyId,
    'datastack.s3-credentials.secret': DEV_S3.secretAccessKey,
  };
}

export const nessieService: ServiceDefinition = {
  name: 'nessie',
  description: 'Nessie catalog, REST API v2 (in memory)',
  ports: { nessie: 19120, nessie_management: 9091 },
  dependencies: ['s3'],
  async install(rt) {
    findJava(21, rt.env); // fail before a 250 MB download when it could never run
    await ensureJar(rt, NESSIE_JAR, `Nessie ${NESSIE_VERSION}`);
  },
  installedVersion: (rt) =>
    existsSync(join(jarsDir(rt.cacheDir), jarName(NESSIE_JAR))) ? `Nessie ${NESSIE_VERSION}` : undefined,
  async launch(rt) {
    const java = findJava(21, rt.env);
    const jar = await ensureJar(rt, NESSIE_JAR, `Nessie ${NESSIE_VERSION}`);
    const settings = nessieProperties(rt.ports, {
      host: '127.0.0.1',
      s3Endpoint: `http://127.0.0.1:${rt.ports.s3}/`,
    });
    const properties = Object.entries(settings).map(([key, value]) => `-D${key}=${value}`);
    return {
      command: java.java,
      // A small heap and C1 only: a dev catalog on a 2-core laptop starts in seconds this way.
      args: [
        '-Xms64m',
        '-Xmx768m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        ...properties,
        '-jar',
        jar,
      ],
      env: { JAVA_HOME: java.home },
    };
  },
  async health(rt, signal) {
    const url = `${baseUrl(rt)}/api/v2`;
    const answer = await probe(`${url}/config`, signal ? { signal } : {});
    const config = parseJson(answer.body);
    if (!answer.ok || !config || !('defaultBranch' in config)) {
      return { ok: false, url, detail: answer.error ?? `HTTP ${answer.status}` };
    }
    return { ok: true, url, version: `API spec ${String(config.specVersion)}` };
  },
  startTimeoutSeconds: 120,
  profile: (rt) => ({ nessie: { url: `${baseUrl(rt)}/api/v2`, default_branch: 'main' } }),
  stopWarning: 'Nessie runs with an in-memory store: every branch, tag and commit is lost',
};

/**
 * The Iceberg writer the iceberg tools run in the shared venv (see ensurePythonPackages).
 * pyiceberg-core (Rust) is needed for writes into tables partitioned by year/day/bucket/truncate.
 */
export const PYICEBERG_SPEC = 'pyiceberg[pyarrow,pyiceberg-core]==0.12.0';

export const icebergService: ServiceDefinition = {
  name: 'iceberg',
  description: 'Iceberg REST catalog, served by Nessie at /iceberg',
  ports: {},
  dependencies: ['nessie'],
  hostedBy: 'nessie',
  // The Python writer of the iceberg tools; installed with moto in the same pip run.
  pythonPackages: [PYICEBERG_SPEC],
  async health(rt, signal) {
    const url = `${baseUrl(rt)}/iceberg`;
    const answer = await probe(`${url}/v1/config?warehouse=${WAREHOUSE}`, signal ? { signal } : {});
    const defaults = parseJson(answer.body)?.defaults as Record<string, unknown> | undefined;
    if (!answer.ok || !defaults?.prefix)
      return { ok: false, url, detail: answer.error ?? `HTTP ${answer.status}` };
    return { ok: true, url, detail: `warehouse ${String(defaults.warehouse)}` };
  },
  profile: (rt) => ({ iceberg: { url: `${baseUrl(rt)}/iceberg`, warehouse: WAREHOUSE } }),
};
