/**
 * Real services for integration tests, started by the same code as `datastack stack up`.
 *
 *   const services = await ensureServices(['s3', 'nessie']);   // in beforeAll, timeout ≥ 180 s
 *   makeWorkspace({ 'datastack.yaml': services.datastackYaml });
 *
 * Tests share one set of services on their own ports (not the user's `stack up` ones), in a
 * state folder under the OS temp dir; whatever already answers on those ports is reused, so
 * test files and workers share them. They stay up after the run: the next run starts in
 * seconds; `datastack --cwd $TMPDIR/datastack-test-services-19010 stack status` (or logs, down)
 * shows them. Ports: DATASTACK_TEST_S3_PORT (19010), DATASTACK_TEST_NESSIE_PORT (19130),
 * DATASTACK_TEST_NESSIE_MANAGEMENT_PORT (19191), DATASTACK_TEST_MLFLOW_PORT (19050), DATASTACK_TEST_AIRFLOW_PORT (19080). A cold cache installs moto, pyiceberg and the
 * Nessie jar first (minutes): CI warms it with `datastack stack up --install-only`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { upServices, resolvePorts } from '../../tools/stack/manager.js';
import { defaultCacheDir, stackStateDir } from '../../tools/stack/paths.js';
import { DEV_S3, type ProfileFragment, type StackRuntime } from '../../tools/stack/service.js';
import { findService } from '../../tools/stack/services/index.js';
import { WAREHOUSE } from '../../tools/stack/services/nessie.js';

export interface ServiceEndpoints {
  /** Always filled; running when 's3' (or a service needing it) was asked for. */
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string };
  nessie: { url: string };
  iceberg: { url: string; warehouse: string };
  /** The tracking server's URL; in `config` only when 'mlflow' was asked for. */
  mlflow: { url: string };
  /** The API server's URL; `config.airflow` (url, admin login, dags_folder) only when asked for. */
  airflow: { url: string };
  /** Profile sections (`s3`, `nessie`, `iceberg`), as `datastack.yaml` holds them. */
  config: ProfileFragment;
  /** A whole `datastack.yaml` whose default profile `stack` points at these services. */
  datastackYaml: string;
}

export const TEST_PORTS = {
  s3: envPort('DATASTACK_TEST_S3_PORT', 19010),
  nessie: envPort('DATASTACK_TEST_NESSIE_PORT', 19130),
  nessie_management: envPort('DATASTACK_TEST_NESSIE_MANAGEMENT_PORT', 19191),
  mlflow: envPort('DATASTACK_TEST_MLFLOW_PORT', 19050),
  airflow: envPort('DATASTACK_TEST_AIRFLOW_PORT', 19080),
  airflow_worker_log: envPort('DATASTACK_TEST_AIRFLOW_WORKER_LOG_PORT', 19793),
  airflow_trigger_log: envPort('DATASTACK_TEST_AIRFLOW_TRIGGER_LOG_PORT', 19794),
  spark_master: envPort('DATASTACK_TEST_SPARK_MASTER_PORT', 19077),
  spark_rest: envPort('DATASTACK_TEST_SPARK_REST_PORT', 19066),
  spark_master_ui: envPort('DATASTACK_TEST_SPARK_MASTER_UI_PORT', 19088),
  spark_worker_ui: envPort('DATASTACK_TEST_SPARK_WORKER_UI_PORT', 19089),
};

function envPort(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * A project folder of the test services: `datastack --cwd <it> stack status|logs|down` works on
 * them like on any project's (its datastack.yaml names the test ports).
 */
export const TEST_STACK_ROOT = join(tmpdir(), `datastack-test-services-${TEST_PORTS.s3}`);

function writeTestProject(): void {
  const file = join(TEST_STACK_ROOT, 'datastack.yaml');
  const text = stringify({ profiles: { local: { stack: { ports: TEST_PORTS } } } });
  // Rewritten when a service (and its port) was added since the folder was made.
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(TEST_STACK_ROOT, { recursive: true });
  writeFileSync(file, text);
}

export function testRuntime(overrides: Partial<StackRuntime> = {}): StackRuntime {
  let lastMessage = '';
  return {
    cacheDir: defaultCacheDir(),
    stateDir: stackStateDir(TEST_STACK_ROOT),
    ports: resolvePorts(TEST_PORTS),
    log: {
      debug() {},
      info() {},
      warn: (m) => console.error(`[services] ${m}`),
      error: (m) => console.error(`[services] ${m}`),
    },
    // A cold install takes minutes: say what is happening, once per step.
    progress: ({ message }) => {
      if (
        message &&
        message !== lastMessage &&
        !/^(starting |all healthy|downloading .*: \d+ s$)/.test(message)
      ) {
        lastMessage = message;
        console.error(`[services] ${message}`);
      }
    },
    signal: new AbortController().signal,
    env: process.env,
    reuseHealthy: true,
    ...overrides,
  };
}

export async function ensureServices(names: string[]): Promise<ServiceEndpoints> {
  writeTestProject();
  const rt = testRuntime();
  for (const name of names) {
    if (!findService(name)) throw new Error(`ensureServices: unknown service "${name}"`);
  }
  await upServices(names, rt);
  return endpointsFor(rt, names);
}

export function endpointsFor(rt: StackRuntime, names: readonly string[] = []): ServiceEndpoints {
  const config: ProfileFragment = {};
  // An MLflow URL in the profile makes tools use it: only when the test started it (Airflow too).
  const optional = ['mlflow', 'airflow'].filter((name) => names.includes(name));
  const profiled = ['s3', 'nessie', 'iceberg', ...optional];
  for (const name of profiled) Object.assign(config, findService(name)?.profile(rt));
  config.stack = { ports: { ...TEST_PORTS } };
  return {
    s3: {
      endpoint: `http://127.0.0.1:${rt.ports.s3}`,
      region: DEV_S3.region,
      accessKeyId: DEV_S3.accessKeyId,
      secretAccessKey: DEV_S3.secretAccessKey,
      bucket: DEV_S3.bucket,
    },
    nessie: { url: `http://127.0.0.1:${rt.ports.nessie}/api/v2` },
    iceberg: { url: `http://127.0.0.1:${rt.ports.nessie}/iceberg`, warehouse: WAREHOUSE },
    mlflow: { url: `http://127.0.0.1:${rt.ports.mlflow}` },
    airflow: { url: `http://127.0.0.1:${rt.ports.airflow}` },
    config,
    datastackYaml: stringify({ profile: 'stack', profiles: { stack: config } }),
  };
}
