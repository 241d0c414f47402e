/**
 * Builds the ToolContext a face hands to tools. Each face passes its own logger, progress
 * renderer and confirmation gate; the rest comes from the resolved config.
 */
import { ClientPool } from './clients.js';
import { scrubSecrets, type ResolvedConfig } from './config.js';
import { createResultSink } from './result-sink.js';
import type { ConfirmGate, Logger, ProgressReporter, ToolContext } from './types.js';
import { createWorkspace } from './workspace.js';

export interface ContextOptions {
  config: ResolvedConfig;
  signal?: AbortSignal;
  log?: Logger;
  progress?: ProgressReporter;
  confirm?: ConfirmGate;
  clients?: ClientPool;
  /** The agent's working branch; see ToolContext.workBranch. */
  workBranch?: string;
}

/** Declines every destructive call: the safe default when no one can be asked. */
export const declineAll: ConfirmGate = () => Promise.resolve(false);

export function createToolContext(options: ContextOptions): ToolContext {
  const { config } = options;
  return {
    config,
    clients: options.clients ?? new ClientPool(),
    log: options.log ?? createStderrLogger(config.secrets),
    progress: options.progress ?? (() => {}),
    signal: options.signal ?? new AbortController().signal,
    confirm: options.confirm ?? declineAll,
    workspace: createWorkspace(config.root, config.workspace.allow_outside),
    sink: createResultSink(config.root),
    ...(options.workBranch ? { workBranch: options.workBranch } : {}),
  };
}

/** The working branch of an agent session, when the profile has Nessie; see ToolContext.workBranch. */
export function agentWorkBranch(config: ResolvedConfig, session: string): string | undefined {
  return config.nessie ? `${config.nessie.agent_branch_prefix}${session}` : undefined;
}

/** Logs go to stderr (stdout belongs to results and to the MCP protocol), secrets scrubbed. */
export function createStderrLogger(secrets: readonly string[], debug = process.env.DATASTACK_DEBUG === '1'): Logger {
  const write = (level: string, message: string) =>
    process.stderr.write(`${level} ${scrubSecrets(message, secrets)}\n`);
  return {
    debug: (m) => debug && write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
