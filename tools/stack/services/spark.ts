/**
 * `spark`: a standalone Spark cluster of one master (`spark-master`, with the REST submission
 * API on) and one worker (`spark`, so `stack up spark` brings both). Spark comes from PyPI
 * `pyspark` in its own venv (its bin/ has spark-submit and spark-class, not sbin/); the Iceberg
 * runtime and AWS bundle jars from Maven Central. Spark 4.0 runs on Java 17 or 21 only.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../../core/errors.js';
import { parseJson, probe } from '../http.js';
import { ensureJar, findJava, jarName, type JavaHome, type MavenArtifact } from '../jvm.js';
import { jarsDir, venvBin, venvDir } from '../paths.js';
import { ensurePythonPackages, installedPythonVersion } from '../python.js';
import type { ServiceDefinition, StackRuntime } from '../service.js';

/** Pinned with the Iceberg runtime built for it (iceberg-spark-runtime-4.0_2.13). */
export const PYSPARK_SPEC = 'pyspark==4.0.1';
export const SPARK_VENV = 'spark';
export const ICEBERG_VERSION = '1.10.1';

export const SPARK_JARS: readonly MavenArtifact[] = [
  { groupId: 'org.apache.iceberg', artifactId: 'iceberg-spark-runtime-4.0_2.13', version: ICEBERG_VERSION },
  // S3FileIO and the AWS SDK v2 it needs, shaded.
  { groupId: 'org.apache.iceberg', artifactId: 'iceberg-aws-bundle', version: ICEBERG_VERSION },
];

/** What a Spark process needs from the cache: SPARK_HOME, the venv's python, Java, the jars. */
export interface SparkInstall {
  home: string;
  python: string;
  java: JavaHome;
  jars: string[];
  version: string;
}

export async function ensureSpark(rt: StackRuntime): Promise<SparkInstall> {
  const java = findJava(17, rt.env, 21); // before a 450 MB download that could never run
  const env = await ensurePythonPackages([PYSPARK_SPEC], {
    cacheDir: rt.cacheDir,
    venv: SPARK_VENV,
    env: rt.env,
    progress: rt.progress,
    log: rt.log,
    signal: rt.signal,
  });
  const jars: string[] = [];
  for (const jar of SPARK_JARS) jars.push(await ensureJar(rt, jar, jar.artifactId));
  return {
    home: sparkHome(rt.cacheDir),
    python: env.python,
    java,
    jars,
    version: PYSPARK_SPEC.split('==')[1] ?? '',
  };
}

/** `<venv>/lib/pythonX.Y/site-packages/pyspark`: a pip-installed Spark's SPARK_HOME. */
export function sparkHome(cacheDir: string): string {
  const lib = join(venvDir(cacheDir, SPARK_VENV), 'lib');
  const py = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python')) : undefined;
  const home = py ? join(lib, py, 'site-packages', 'pyspark') : '';
  if (!home || !existsSync(join(home, 'bin', 'spark-submit'))) {
    throw new ToolError('config', 'Spark is not installed', {
      hint: 'Install it with `datastack stack up --install-only spark`',
    });
  }
  return home;
}

/** The environment every Spark process of ours starts with. */
export function sparkEnv(install: Pick<SparkInstall, 'home' | 'python' | 'java'>): Record<string, string> {
  return {
    SPARK_HOME: install.home,
    JAVA_HOME: install.java.home,
    PYSPARK_PYTHON: install.python,
    PYSPARK_DRIVER_PYTHON: install.python,
    // The venv's bin first: spark-class finds `python3` for the Python workers there too.
    PATH: `${dirname(install.python)}:${process.env.PATH ?? ''}`,
    // Daemons (master, worker) are small: the jobs get the memory.
    SPARK_DAEMON_MEMORY: '512m',
    SPARK_NO_DAEMONIZE: '1',
  };
}

const masterUi = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.spark_master_ui}`;
export const masterUrl = (rt: StackRuntime): string => `spark://127.0.0.1:${rt.ports.spark_master}`;
const restUrl = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.spark_rest}`;

/** Spark's own folder beside the stack's state: worker work dirs (driver logs), properties. */
function sparkStateDir(rt: StackRuntime): string {
  const dir = join(rt.stateDir, 'spark');
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface MasterJson {
  url?: string;
  status?: string;
  workers?: Array<{ id: string; state: string; webuiaddress?: string; cores: number; memory: number }>;
}

async function readMaster(rt: StackRuntime, signal?: AbortSignal): Promise<MasterJson | undefined> {
  const answer = await probe(`${masterUi(rt)}/json/`, signal ? { signal } : {});
  return answer.ok ? (parseJson(answer.body)) : undefined;
}

export const sparkMasterService: ServiceDefinition = {
  name: 'spark-master',
  description: 'Spark standalone master with the REST submission API (started by `stack up spark`)',
  // Not 8080 for the UI: Airflow's. Not 7077/6066 in tests: see test/helpers/services.ts.
  ports: { spark_master: 7077, spark_rest: 6066, spark_master_ui: 8088 },
  dependencies: [],
  async install(rt) {
    await ensureSpark(rt);
  },
  installedVersion(rt) {
    const version = installedPythonVersion(rt.cacheDir, 'pyspark', SPARK_VENV);
    return version ? `Spark ${version}` : undefined;
  },
  async launch(rt) {
    const install = await ensureSpark(rt);
    const properties = join(sparkStateDir(rt), 'master.properties');
    writeFileSync(
      properties,
      [
        'spark.master.rest.enabled=true',
        `spark.master.rest.host=127.0.0.1`,
        `spark.master.rest.port=${rt.ports.spark_rest}`,
        // Finished drivers and apps stay listed for spark_status and spark_applications.
        'spark.deploy.retainedApplications=50',
        'spark.deploy.retainedDrivers=50',
      ].join('\n'),
    );
    return {
      command: join(install.home, 'bin', 'spark-class'),
      args: [
        'org.apache.spark.deploy.master.Master',
        '--host',
        '127.0.0.1',
        '--port',
        String(rt.ports.spark_master),
        '--webui-port',
        String(rt.ports.spark_master_ui),
        '--properties-file',
        properties,
      ],
      env: sparkEnv(install),
    };
  },
  async health(rt, signal) {
    const url = masterUrl(rt);
    const master = await readMaster(rt, signal);
    if (master?.status !== 'ALIVE')
      return { ok: false, url, detail: master ? `master ${master.status}` : 'no answer' };
    const rest = await probe(`${restUrl(rt)}/v1/submissions/status/none`, signal ? { signal } : {});
    // The REST server answers every path, with an error body for unknown submissions.
    if (rest.status === undefined) return { ok: false, url, detail: `REST submission API: ${rest.error}` };
    return { ok: true, url, detail: `UI ${masterUi(rt)}, REST ${restUrl(rt)}` };
  },
  startTimeoutSeconds: 90,
  profile: (rt) => ({ spark: { master: masterUrl(rt), rest_url: restUrl(rt), ui_url: masterUi(rt) } }),
};

export const sparkWorkerService: ServiceDefinition = {
  name: 'spark',
  description: 'Spark standalone worker (2 cores, 2 GiB) and, first, its master',
  ports: { spark_worker_ui: 8089 },
  dependencies: ['spark-master'],
  installedVersion: (rt) => sparkMasterService.installedVersion?.(rt),
  async launch(rt) {
    const install = await ensureSpark(rt);
    const work = join(sparkStateDir(rt), 'work');
    mkdirSync(work, { recursive: true });
    return {
      command: join(install.home, 'bin', 'spark-class'),
      args: [
        'org.apache.spark.deploy.worker.Worker',
        '--host',
        '127.0.0.1',
        '--webui-port',
        String(rt.ports.spark_worker_ui),
        // A driver (1 core) and one executor (1 core) fit on a 2-core laptop.
        '--cores',
        '2',
        '--memory',
        '2g',
        '--work-dir',
        work,
        masterUrl(rt),
      ],
      env: sparkEnv(install),
    };
  },
  async health(rt, signal) {
    const url = `http://127.0.0.1:${rt.ports.spark_worker_ui}`;
    const master = await readMaster(rt, signal);
    const alive = master?.workers?.find(
      (w) => w.state === 'ALIVE' && w.webuiaddress?.endsWith(`:${rt.ports.spark_worker_ui}`),
    );
    if (!alive)
      return {
        ok: false,
        url,
        detail: master ? 'not registered with the master yet' : 'master not answering',
      };
    return { ok: true, url, detail: `${alive.cores} cores, ${alive.memory} MiB` };
  },
  startTimeoutSeconds: 90,
  profile: () => ({}),
};

/** Where a worker keeps a driver's files (`stdout`, `stderr`): `<state>/spark/work/<driver id>`. */
export function driverWorkDir(stateDir: string, driverId: string): string {
  return join(stateDir, 'spark', 'work', driverId);
}

export const sparkJarNames = (): string[] => SPARK_JARS.map(jarName);
export const sparkJarPaths = (cacheDir: string): string[] =>
  SPARK_JARS.map((jar) => join(jarsDir(cacheDir), jarName(jar)));
export const sparkSubmitBin = (cacheDir: string): string => venvBin(cacheDir, 'spark-submit', SPARK_VENV);
