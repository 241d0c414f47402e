/**
 * The shape of a profile, once. `datastack.yaml`, the user config and environment variables all
 * resolve into this. Later components add their section here; every field is optional in files
 * and gets its default at resolution time.
 */
import { z } from 'zod';

export const QuerySection = z.object({
  engine: z
    .enum(['duckdb', 'dremio', 'spark'])
    .default('duckdb')
    .describe(
      'Engine query_sql runs on: duckdb (embedded), dremio (the dremio section), spark (Spark SQL on the lake catalog)',
    ),
  allow_writes: z
    .boolean()
    .default(false)
    .describe('Let query_sql run statements that change data (CREATE, INSERT, COPY ... TO)'),
  max_rows: z.number().int().positive().default(50).describe('Rows shown to the model before truncating'),
  threads: z.number().int().positive().optional().describe('DuckDB worker threads (default: all cores)'),
});

export const AnthropicSection = z.object({
  api_key: z.string().optional().describe('Anthropic API key (prefer the ANTHROPIC_API_KEY variable)'),
  base_url: z.string().optional().describe('Messages API base URL'),
  model: z.string().default('claude-sonnet-4-5').describe('Model for chat and ask'),
  max_turns: z.number().int().positive().default(20).describe('Agent turn limit'),
  max_tokens: z.number().int().positive().default(8192).describe('Max output tokens per turn'),
});

export const S3Section = z.object({
  endpoint: z.string().optional().describe('S3 endpoint URL (MinIO, moto); empty means AWS'),
  region: z.string().default('us-east-1'),
  access_key_id: z.string().optional(),
  secret_access_key: z.string().optional(),
  force_path_style: z.boolean().default(true).describe('Path-style URLs, as MinIO needs'),
});

/** On a profile without `s3`, a folder of the workspace acts as the object store. */
export const LakeSection = z.object({
  root: z
    .string()
    .default('lake')
    .describe(
      'Workspace folder used as the object store when no s3 is configured; each subfolder is a bucket',
    ),
});

export const NessieSection = z.object({
  url: z.string().describe('Nessie REST API v2 base URL, e.g. http://127.0.0.1:19120/api/v2'),
  default_branch: z.string().default('main').describe('Branch that agent work is merged into'),
  agent_branch_prefix: z
    .string()
    .default('agent/')
    .describe('Prefix of the working branches the agent writes on'),
  token: z.string().optional().describe('Bearer token, when Nessie has auth on'),
});

export const IcebergSection = z.object({
  url: z.string().describe('Iceberg REST catalog base URL, e.g. http://127.0.0.1:19120/iceberg'),
  warehouse: z.string().optional().describe('Warehouse name sent to GET /v1/config'),
  token: z.string().optional().describe('Bearer token for the catalog'),
});

/** `datastack stack`: ports of the local services (defaults live with each service). */
export const StackSection = z.object({
  ports: z
    .record(z.string(), z.number().int().positive())
    .default({})
    .describe('Port per service, e.g. { s3: 5000 }'),
});

export const WorkspaceSection = z.object({
  root: z.string().optional().describe('Folder that file arguments resolve in (default: the project root)'),
  allow_outside: z
    .array(z.string())
    .default([])
    .describe('Extra absolute folders tools may read and write outside the workspace'),
});

export const MlflowSection = z.object({
  tracking_uri: z
    .string()
    .optional()
    .describe('Tracking server URL (default: a local server the project starts, store in .datastack/mlflow)'),
  experiment: z
    .string()
    .optional()
    .describe('Experiment runs go to when none is named (default: the project name)'),
  token: z.string().optional().describe('Bearer token for a server behind auth'),
  username: z.string().optional(),
  password: z.string().optional(),
});

/** Dremio's REST API v3: a personal access token, or a username and password to log in with. */
export const DremioSection = z.object({
  url: z.string().optional().describe('Dremio base URL, e.g. http://127.0.0.1:9047'),
  token: z
    .string()
    .optional()
    .describe('Personal access token, sent as a Bearer token (prefer DREMIO_TOKEN)'),
  username: z.string().optional().describe('User to log in as when there is no token'),
  password: z.string().optional().describe('Password of that user (prefer DREMIO_PASSWORD)'),
});

/** Spark: where spark_submit and query.engine spark run; local[*] (embedded) by default. */
export const SparkSection = z.object({
  master: z
    .string()
    .default('local[*]')
    .describe('local[*] (spark-submit on this machine) or spark://host:7077 (standalone, via its REST API)'),
  rest_url: z.string().optional().describe('Standalone REST submission API, e.g. http://127.0.0.1:6066'),
  ui_url: z.string().optional().describe("Standalone master's web UI, e.g. http://127.0.0.1:8088"),
  conf: z
    .record(z.string(), z.string())
    .default({})
    .describe('Extra Spark properties for every session, e.g. { spark.executor.memory: 1g }'),
});

/**
 * Airflow 3's REST API v2: a JWT from `POST /auth/token` with username and password, or a token
 * issued elsewhere. `stack up airflow` fills it for the local standalone.
 */
export const AirflowSection = z.object({
  url: z.string().optional().describe('Airflow API server base URL, e.g. http://127.0.0.1:8080'),
  username: z.string().optional().describe('User to get a token for (the local standalone: admin)'),
  password: z.string().optional().describe('Password of that user (prefer AIRFLOW_PASSWORD)'),
  passwords_file: z
    .string()
    .optional()
    .describe(
      "JSON file ({user: password}) to read the password from when none is set: the local standalone's, so no password is written into datastack.yaml",
    ),
  token: z
    .string()
    .optional()
    .describe('A JWT issued elsewhere; renewed with username/password when it expires'),
  dags_folder: z
    .string()
    .optional()
    .describe(
      "Folder the Airflow DAG processor reads, where DAG files are deployed (the local standalone: the project's dags/)",
    ),
});

/** Services a later issue will add; kept as URLs so `config show` and `doctor` see them now. */
const ServiceUrl = z.object({ url: z.string().optional() }).passthrough();

export const ProfileSchema = z.object({
  workspace: WorkspaceSection.default({ allow_outside: [] }),
  query: QuerySection.default({ engine: 'duckdb', allow_writes: false, max_rows: 50 }),
  anthropic: AnthropicSection.default({ model: 'claude-sonnet-4-5', max_turns: 20, max_tokens: 8192 }),
  lake: LakeSection.default({ root: 'lake' }),
  stack: StackSection.default({ ports: {} }),
  s3: S3Section.optional(),
  mlflow: MlflowSection.optional(),
  nessie: NessieSection.optional(),
  iceberg: IcebergSection.optional(),
  spark: SparkSection.default({ master: 'local[*]', conf: {} }),
  dremio: DremioSection.optional(),
  airflow: AirflowSection.optional(),
  redmine: ServiceUrl.optional(),
  jira: ServiceUrl.optional(),
});

export type Profile = z.infer<typeof ProfileSchema>;
/** A profile as written in a file: every section and field optional. */
export type PartialProfile = Record<string, Record<string, unknown> | undefined>;

export const ConfigFileSchema = z.object({
  profile: z.string().optional().describe('The profile used when none is named'),
  profiles: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
});

/**
 * Field names whose values are secrets: redacted in `config show`, scrubbed from every output.
 * `token` only as the last word (`jira.token`, `access_token`), so `max_tokens` stays visible.
 */
export const SECRET_FIELD = /(api_key|secret|password|(^|_)token$|private_key)/i;
