/**
 * `airflow`: Apache Airflow 3 as `airflow standalone` (API server, scheduler, DAG processor and
 * triggerer in one process tree; SQLite; LocalExecutor), its home in `.datastack/airflow/` and the
 * project's `dags/` as its DAG folder. It lives in its own venv, installed against the pins in
 * airflow-constraints.txt: Airflow's published constraints file is on a host we cannot reach, and
 * an unpinned install drifts as its ~130 dependencies release.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../core/errors.js';
import { parseJson, probe } from '../http.js';
import { venvBin, venvDir } from '../paths.js';
import { ensurePythonPackages, installedPythonVersion } from '../python.js';
import type { ServiceDefinition, StackRuntime } from '../service.js';

export const AIRFLOW_SPEC = 'apache-airflow==3.3.2';
export const AIRFLOW_VENV = 'airflow';
/** The user `standalone` would create; its password is ours to choose (see adminPassword). */
export const AIRFLOW_ADMIN = 'admin';

const url = (rt: StackRuntime) => `http://127.0.0.1:${rt.ports.airflow}`;

/** `<workspace>/.datastack/airflow`: AIRFLOW_HOME (airflow.cfg, airflow.db, task logs). */
export function airflowHome(stateDir: string): string {
  return join(dirname(stateDir), 'airflow');
}

/**
 * The project's `dags/`, unless the user's environment names another folder the way Airflow
 * itself reads it (AIRFLOW__CORE__DAGS_FOLDER): `stack up` has no config of its own to read.
 */
export function airflowDagsFolder(rt: Pick<StackRuntime, 'stateDir' | 'env'>): string {
  const workspace = dirname(dirname(rt.stateDir));
  const chosen = rt.env.AIRFLOW__CORE__DAGS_FOLDER;
  return chosen ? resolve(workspace, chosen) : join(workspace, 'dags');
}

/** The passwords file, with the admin's password made if missing. */
function adminPasswordFile(home: string): string {
  adminPassword(home);
  return passwordsFile(home);
}

function passwordsFile(home: string): string {
  return join(home, 'simple_auth_manager_passwords.json.generated');
}

/**
 * The admin's password, made here on first use. Left to Airflow, the simple auth manager
 * generates one and prints it to its log; written first, Airflow reads it and prints nothing.
 */
export function adminPassword(home: string): string {
  const file = passwordsFile(home);
  try {
    const known = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[AIRFLOW_ADMIN];
    if (typeof known === 'string' && known) return known;
  } catch {
    // Missing or unreadable: write a fresh one below.
  }
  const password = randomBytes(18).toString('base64url');
  mkdirSync(home, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ [AIRFLOW_ADMIN]: password })}\n`, { mode: 0o600 });
  return password;
}

/** The pins file, beside this module in the sources or three levels up from dist/. */
function constraintsFile(): string {
  const candidates = [
    new URL('./airflow-constraints.txt', import.meta.url),
    new URL('../../../../tools/stack/services/airflow-constraints.txt', import.meta.url),
  ].map((candidate) => fileURLToPath(candidate));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new ToolError(
      'internal',
      `airflow-constraints.txt is missing (looked in ${candidates.join(', ')})`,
    );
  }
  return found;
}

export const airflowService: ServiceDefinition = {
  name: 'airflow',
  description:
    'Apache Airflow 3 standalone (SQLite, LocalExecutor; home in .datastack/airflow, DAGs in dags/)',
  // 8080 is Airflow's default (Spark's master UI moved off it). The scheduler and triggerer also
  // serve their task logs on fixed ports: named here so two stacks (a project's, the tests') can
  // run side by side.
  ports: { airflow: 8080, airflow_worker_log: 8793, airflow_trigger_log: 8794 },
  dependencies: [],
  async install(rt) {
    await ensurePythonPackages([AIRFLOW_SPEC], {
      cacheDir: rt.cacheDir,
      venv: AIRFLOW_VENV,
      constraints: constraintsFile(),
      env: rt.env,
      progress: rt.progress,
      log: rt.log,
      signal: rt.signal,
    });
  },
  installedVersion(rt) {
    const version = installedPythonVersion(rt.cacheDir, 'apache_airflow', AIRFLOW_VENV);
    return version ? `airflow ${version}` : undefined;
  },
  launch(rt) {
    const home = airflowHome(rt.stateDir);
    const dags = airflowDagsFolder(rt);
    mkdirSync(dags, { recursive: true });
    adminPassword(home);
    const base = url(rt);
    return Promise.resolve({
      command: venvBin(rt.cacheDir, 'airflow', AIRFLOW_VENV),
      args: ['standalone'],
      env: {
        // standalone starts its parts as `airflow …` looked up on PATH.
        PATH: [join(venvDir(rt.cacheDir, AIRFLOW_VENV), 'bin'), rt.env.PATH ?? ''].join(delimiter),
        AIRFLOW_HOME: home,
        AIRFLOW__CORE__DAGS_FOLDER: dags,
        AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
        // A DAG deployed to run (a rendered pipeline) runs when triggered, without an unpause first.
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'False',
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${AIRFLOW_ADMIN}:admin`,
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: passwordsFile(home),
        AIRFLOW__API__HOST: '127.0.0.1',
        AIRFLOW__API__PORT: String(rt.ports.airflow),
        AIRFLOW__API__BASE_URL: `${base}/`,
        AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT: String(rt.ports.airflow_worker_log),
        AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT: String(rt.ports.airflow_trigger_log),
        // Task workers report to the execution API; its default assumes localhost:8080.
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${base}/execution/`,
        // New DAG files are found within seconds instead of 5 minutes; changed files are re-parsed
        // on that listing too (the parsing order is by modification time).
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '5',
        DO_NOT_TRACK: 'true',
        SCARF_ANALYTICS: 'false',
      },
      cwd: home,
    });
  },
  async health(rt, signal) {
    const base = url(rt);
    const options = signal ? { signal } : {};
    const answer = await probe(`${base}/api/v2/monitor/health`, options);
    if (!answer.ok) return { ok: false, url: base, detail: answer.error ?? `HTTP ${answer.status}` };
    // The API answers before the scheduler and DAG processor have sent a heartbeat: a DAG
    // deployed then would not be parsed or run yet.
    const unhealthy = componentsNotHealthy(answer.body);
    if (unhealthy.length > 0) return { ok: false, url: base, detail: `waiting for ${unhealthy.join(', ')}` };
    const version = await probe(`${base}/api/v2/version`, options);
    const reported = version.ok ? parseVersion(version.body) : undefined;
    return { ok: true, url: base, ...(reported ? { version: reported } : {}) };
  },
  // The first start creates the SQLite schema and airflow.cfg: ~20 s here, more on a slow disk.
  startTimeoutSeconds: 180,
  profile: (rt) => ({
    airflow: {
      url: url(rt),
      username: AIRFLOW_ADMIN,
      // The file, not the password: datastack.yaml is often committed.
      passwords_file: adminPasswordFile(airflowHome(rt.stateDir)),
      dags_folder: airflowDagsFolder(rt),
    },
  }),
};

function componentsNotHealthy(body: string | undefined): string[] {
  const parsed = parseJson(body);
  if (!parsed) return ['a JSON health answer'];
  return ['metadatabase', 'scheduler', 'dag_processor'].filter(
    (part) => (parsed[part] as { status?: unknown } | undefined)?.status !== 'healthy',
  );
}

function parseVersion(body: string | undefined): string | undefined {
  const version = parseJson(body)?.version;
  return typeof version === 'string' ? version : undefined;
}
