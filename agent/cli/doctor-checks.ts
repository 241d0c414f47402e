/**
 * What `datastack doctor` checks, as data: each check says what it found and, when something is
 * wrong, what to do. A later component adds its line to SERVICE_ENDPOINTS (a URL in the profile to
 * reach) or a DoctorCheck to LOCAL_CHECKS (anything else).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { ResolvedConfig } from '../../tools/core/config.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface DoctorInput {
  /** Undefined when the config itself failed to load: checks that need it skip. */
  config: ResolvedConfig | undefined;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface DoctorCheck {
  id: string;
  title: string;
  /** A required check that fails makes doctor exit non-zero; the others only warn. */
  required: boolean;
  run(input: DoctorInput): CheckResult | Promise<CheckResult>;
}

export interface ServiceEndpoint {
  id: string;
  title: string;
  section: string;
  field: string;
  /** The standard environment variable that can set it, named in the hint. */
  env?: string;
}

/** Every service URL a profile may configure; doctor checks the ones that are set. */
export const SERVICE_ENDPOINTS: readonly ServiceEndpoint[] = [
  { id: 's3', title: 'S3 / MinIO', section: 's3', field: 'endpoint', env: 'AWS_ENDPOINT_URL' },
  { id: 'mlflow', title: 'MLflow', section: 'mlflow', field: 'tracking_uri', env: 'MLFLOW_TRACKING_URI' },
  { id: 'nessie', title: 'Nessie', section: 'nessie', field: 'url', env: 'NESSIE_URI' },
  { id: 'iceberg', title: 'Iceberg REST catalog', section: 'iceberg', field: 'url' },
  { id: 'spark', title: 'Spark master UI', section: 'spark', field: 'ui_url' },
  { id: 'dremio', title: 'Dremio', section: 'dremio', field: 'url', env: 'DREMIO_URL' },
  { id: 'airflow', title: 'Airflow', section: 'airflow', field: 'url', env: 'AIRFLOW_URL' },
  { id: 'redmine', title: 'Redmine', section: 'redmine', field: 'url', env: 'REDMINE_URL' },
  { id: 'jira', title: 'Jira', section: 'jira', field: 'url', env: 'JIRA_URL' },
];

const MIN_NODE_MAJOR = 20;

export const LOCAL_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'node',
    title: 'Node.js',
    required: true,
    run: () => {
      const major = Number(process.versions.node.split('.')[0]);
      return major >= MIN_NODE_MAJOR
        ? { status: 'ok', detail: `Node.js ${process.versions.node}` }
        : {
            status: 'fail',
            detail: `Node.js ${process.versions.node} is too old`,
            hint: `Install Node.js ${MIN_NODE_MAJOR} or newer`,
          };
    },
  },
  {
    id: 'workspace',
    title: 'Workspace',
    required: true,
    run: async ({ config }) => {
      if (!config) return { status: 'skip', detail: 'no config' };
      try {
        await access(config.root, constants.W_OK);
        return { status: 'ok', detail: `${config.root} (writable; results go to .datastack/results)` };
      } catch {
        return {
          status: 'fail',
          detail: `${config.root} is not writable`,
          hint: 'Run from a folder you can write to, or set workspace.root in datastack.yaml',
        };
      }
    },
  },
  {
    id: 'duckdb',
    title: 'DuckDB',
    required: true,
    run: checkDuckDb,
  },
  {
    id: 'anthropic',
    title: 'Anthropic API',
    // The plain subcommands and the MCP server work without a key.
    required: false,
    run: ({ config }) => {
      const section = config?.anthropic;
      if (section?.api_key) {
        const where = section.base_url ? ` at ${section.base_url}` : '';
        return { status: 'ok', detail: `API key set; chat and ask use ${section.model}${where}` };
      }
      return {
        status: 'warn',
        detail: 'No ANTHROPIC_API_KEY: `chat` and `ask` cannot run',
        hint: 'Set ANTHROPIC_API_KEY, or work without one: `datastack mcp` under Claude Code, or the plain subcommands (`datastack --help`)',
      };
    },
  },
];

async function checkDuckDb(): Promise<CheckResult> {
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll('select 1 as one');
      const value = reader.getRows()[0]?.[0];
      if (Number(value) !== 1) return { status: 'fail', detail: `select 1 returned ${String(value)}` };
      const version = await connection.runAndReadAll('select version()');
      return { status: 'ok', detail: `DuckDB ${String(version.getRows()[0]?.[0])} runs queries` };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } catch (error) {
    return {
      status: 'fail',
      detail: `DuckDB does not load: ${(error as Error).message.split('\n')[0]}`,
      hint: 'Reinstall the dependencies (`npm install`): the @duckdb/node-api binding must match this platform',
    };
  }
}

/** One reachability check per service URL set in the profile. */
export function serviceChecks(config: ResolvedConfig | undefined): DoctorCheck[] {
  if (!config) return [];
  const checks: DoctorCheck[] = [];
  for (const service of SERVICE_ENDPOINTS) {
    const section = (config as unknown as Record<string, Record<string, unknown> | undefined>)[
      service.section
    ];
    const url = section?.[service.field];
    if (typeof url !== 'string' || url === '') continue;
    checks.push({
      id: service.id,
      title: service.title,
      required: true,
      run: (input) => probe(service, url, input.timeoutMs),
    });
  }
  return checks;
}

async function probe(service: ServiceEndpoint, url: string, timeoutMs: number): Promise<CheckResult> {
  const shown = displayUrl(url);
  if (!/^https?:\/\//i.test(url))
    return { status: 'skip', detail: `${shown} is not an HTTP URL (a local store: nothing to reach)` };
  const where = `${service.section}.${service.field} in datastack.yaml${service.env ? ` (or ${service.env})` : ''}`;
  try {
    // Any HTTP answer, even 401 or 404, means the server is up; auth is the component's own check.
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status: 'ok', detail: `${shown} answers (HTTP ${response.status})` };
  } catch (error) {
    return {
      status: 'fail',
      detail: `${shown} ${reason(error, timeoutMs)}`,
      hint: `Is ${service.title} running? See \`datastack stack status\`, or check ${where}`,
    };
  }
}

function reason(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `did not answer within ${timeoutMs / 1000}s`;
  switch (err.cause?.code) {
    case 'ECONNREFUSED':
      return 'refused the connection';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'is not a known host';
    case 'ECONNRESET':
      return 'dropped the connection';
    default:
      // fetch says only "fetch failed"; the cause says why ("bad port", a TLS error…).
      return `is unreachable (${err.cause?.code ?? err.cause?.message ?? (error as Error).message})`;
  }
}

/** Never print credentials embedded in a URL (`http://user:pass@host`). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
