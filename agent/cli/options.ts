/**
 * The options each terminal face receives from the command tree (agent/cli/program.ts). Kept in
 * one small file so the program can wire faces it only imports lazily.
 */

/** Options every command accepts. */
export interface GlobalOptions {
  /** Named profile from datastack.yaml / the user config; default `local`. */
  profile?: string;
  /** Working directory to resolve the project from (default: process.cwd()). */
  cwd?: string;
  /** Hide and refuse every tool that is not read-only. */
  readOnly?: boolean;
  /** Approve destructive calls without asking. */
  yes?: boolean;
}

export interface AgentRunOptions extends GlobalOptions {
  model?: string;
  maxTurns?: number;
  /** Only these toolsets are offered to the model. */
  toolsets?: string[];
}

/** `datastack ask "…"`: one-shot. The prompt comes from the arguments or piped stdin. */
export interface AskOptions extends AgentRunOptions {
  prompt?: string;
  /** Print one final JSON object. */
  json?: boolean;
  /** Print one JSON event per line as they happen. */
  streamJson?: boolean;
}

/** `datastack chat`: the REPL. `resume` is a session id, or true for the latest session. */
export interface ChatOptions extends AgentRunOptions {
  resume?: string | true;
}

/** `datastack mcp`: stdio by default, Streamable HTTP with `http`. */
export interface McpOptions extends GlobalOptions {
  http?: boolean;
  port?: number;
  host?: string;
  toolsets?: string[];
}
