/**
 * What a tool is, and what it is handed when it runs. Tool code imports only these types and
 * zod: never the Anthropic or MCP SDK, never process.env. Faces build the context.
 */
import type { z } from 'zod';
import type { ResolvedConfig } from './config.js';
import type { ClientPool } from './clients.js';
import type { Workspace } from './workspace.js';
import type { ResultSink } from './result-sink.js';

export interface ToolAnnotations {
  /** Changes nothing anywhere. Read-only calls of one agent turn run in parallel. */
  readOnly: boolean;
  /** May delete or overwrite something that cannot be had back: asks first, needs --yes. */
  destructive: boolean;
  /** Calling twice with the same input has the same effect as once. */
  idempotent: boolean;
  /** Talks to something outside the workspace (a server, the network). */
  openWorld: boolean;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProgressUpdate {
  /** Units done so far (rows, bytes, files, steps). */
  done: number;
  /** Units in all, when known. */
  total?: number;
  message?: string;
}

export type ProgressReporter = (update: ProgressUpdate) => void;

export interface ConfirmRequest {
  tool: string;
  /** One sentence saying what will be lost or changed, shown before the y/N. */
  summary: string;
  input: unknown;
}

export type ConfirmGate = (request: ConfirmRequest) => Promise<boolean>;

export interface ToolContext {
  config: ResolvedConfig;
  clients: ClientPool;
  log: Logger;
  progress: ProgressReporter;
  signal: AbortSignal;
  /** Asked by invokeTool before a destructive tool runs; tools may ask again for extra steps. */
  confirm: ConfirmGate;
  workspace: Workspace;
  sink: ResultSink;
  /**
   * Nessie branch that table writes go to when a call names no reference: the agent's working
   * branch (`agent/<session>`), so its changes wait for a person to merge. Unset for the CLI.
   */
  workBranch?: string;
}

/** Input and output are zod objects: every field carries `.describe()`. */
export type ToolSchema = z.ZodObject;

export interface ToolDefinition<I extends ToolSchema = ToolSchema, O extends ToolSchema = ToolSchema> {
  /** snake_case, component first then a verb: `query_sql`, `nessie_create_branch`. */
  name: string;
  title: string;
  /** What the model reads to choose the tool: short, concrete, no filler. */
  description: string;
  /** Component group; the CLI command is `datastack <toolset> <action>`. */
  toolset: string;
  /** The CLI action; defaults to the name less the toolset prefix, kebab-cased. */
  action?: string;
  /** Extra CLI names for the action (`ls` for `list-datasets`). */
  aliases?: readonly string[];
  /** Input fields given positionally on the CLI, in order (`datastack query sql "select 1"`). */
  positional?: readonly string[];
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** For destructive tools: the sentence shown before asking (may look at what would be lost). */
  confirmSummary?: (input: z.infer<I>, ctx: ToolContext) => string | Promise<string>;
  /** Compact text for the model and MCP `content`; untrusted values must be fenced here. */
  toText?: (output: z.infer<O>) => string;
  run(input: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
}

/** The erased type the registry and the faces work with. */
export type AnyTool = ToolDefinition<ToolSchema, ToolSchema>;

/** Keeps a tool's own input/output types while checking it against ToolDefinition. */
export function defineTool<I extends ToolSchema, O extends ToolSchema>(tool: ToolDefinition<I, O>): AnyTool {
  return tool;
}
