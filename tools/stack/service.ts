/**
 * What a local service is to `datastack stack`. Each service is one data definition in
 * `services/<name>.ts`; the manager does the common work (ordering, ports, spawning, health
 * waits, state, the profile) so a new service (Spark, Airflow, MLflow, Redmine) is one file.
 */
import type { Logger, ProgressReporter } from '../core/types.js';

/** What a service's hooks are handed: no ToolContext, so the test helper can drive them too. */
export interface StackRuntime {
  /** Per-user installs: `<cache>/venv`, `<cache>/jars`. */
  cacheDir: string;
  /** Per-project run state: `<workspace>/.datastack/stack`. */
  stateDir: string;
  /** Every port of every service, resolved from `stack.ports` over the services' defaults. */
  ports: Readonly<Record<string, number>>;
  log: Logger;
  progress: ProgressReporter;
  signal: AbortSignal;
  /** The profile whose `stack.ports` apply, named in port-clash hints. */
  profile?: string;
  /**
   * Use a healthy service already on the port even if this state did not start it, instead of
   * refusing the port: test workers share one set of services.
   */
  reuseHealthy?: boolean;
  /** The environment children inherit and where JAVA_HOME and PATH are looked up. */
  env: NodeJS.ProcessEnv;
}

/** How to run the service's process; the manager spawns it detached with its log file. */
export interface LaunchSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface Health {
  ok: boolean;
  /** The URL a client uses (shown by `stack status`). */
  url: string;
  /** Version the service reports, when it reports one. */
  version?: string;
  /** Why it is not healthy, or a remark. */
  detail?: string;
}

/** Profile sections a service contributes: `{ nessie: { url } }`. */
export type ProfileFragment = Record<string, Record<string, unknown>>;

export interface ServiceDefinition {
  name: string;
  description: string;
  /** Port keys (as in `stack.ports`) and their defaults; the first one is the service's own. */
  ports: Readonly<Record<string, number>>;
  /** Services that must be up first. */
  dependencies: readonly string[];
  /**
   * Served by another service's process (the Iceberg REST catalog lives inside Nessie): nothing
   * of its own to start or stop, only a health check and profile fields.
   */
  hostedBy?: string;
  /** PyPI requirement specs for the shared venv; installed together, in one pip run. */
  pythonPackages?: readonly string[];
  /** Anything else to fetch (jars). Idempotent: returns quickly when already there. */
  install?(rt: StackRuntime): Promise<void>;
  /** The installed version, read from the cache without starting anything. */
  installedVersion?(rt: StackRuntime): string | undefined;
  launch?(rt: StackRuntime): Promise<LaunchSpec>;
  /** Runs after the service is healthy, on every `up` (idempotent): create the warehouse bucket. */
  afterStart?(rt: StackRuntime): Promise<void>;
  health(rt: StackRuntime, signal?: AbortSignal): Promise<Health>;
  /** Seconds to wait for a healthy answer after spawning. */
  startTimeoutSeconds?: number;
  profile(rt: StackRuntime): ProfileFragment;
  /** Said before `stack down` stops it, when stopping loses something. */
  stopWarning?: string;
}

/** Fixed, non-secret credentials of the local S3 (moto accepts any; MinIO in compose uses these). */
export const DEV_S3 = {
  region: 'us-east-1',
  accessKeyId: 'datastack',
  // Not a secret: the config still treats the field as one and scrubs it, so keep it distinctive.
  secretAccessKey: 'local-dev-secret',
  bucket: 'warehouse',
} as const;
