/**
 * What `ask` and `chat` share before the first turn: the resolved config (with `--model` and
 * `--max-turns` on top), the API key check, the tools offered, the system prompt, the client and
 * the session store. Failures carry the exit code the face returns.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { loadConfig, type ResolvedConfig } from '../tools/core/config.js';
import { isToolError } from '../tools/core/errors.js';
import type { AnyTool } from '../tools/core/types.js';
import { createAnthropicClient, hasApiKey, missingKeyMessage } from './anthropic-client.js';
import type { AgentRunOptions } from './cli/options.js';
import { loadPrompt } from './prompts.js';
import { SessionStore } from './session-store.js';

export const EXIT = {
  ok: 0,
  /** The run ended without an answer: API error, turn limit, truncated output. */
  failed: 1,
  usage: 2,
  noApiKey: 3,
  aborted: 130,
} as const;

export class SetupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** The error code a `--json` caller reads (ToolError codes). */
    readonly code: 'config' | 'invalid_input' = exitCode === EXIT.noApiKey ? 'config' : 'invalid_input',
  ) {
    super(message);
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message.replace(/^error:\s*/, '') } };
  }
}

export interface AgentSetup {
  config: ResolvedConfig;
  client: Anthropic;
  tools: AnyTool[];
  system: string;
  model: string;
  maxTurns: number;
  maxTokens: number;
  store: SessionStore;
}

/** For tests and embedders: a different tool list than the registry's. */
export interface AgentOverrides {
  tools?: readonly AnyTool[];
}

export async function prepareAgent(
  face: 'chat' | 'ask',
  options: AgentRunOptions,
  overrides: AgentOverrides = {},
): Promise<AgentSetup> {
  let config: ResolvedConfig;
  try {
    config = await loadConfig({
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      overrides: {
        ...(options.model ? { 'anthropic.model': options.model } : {}),
        ...(options.maxTurns !== undefined ? { 'anthropic.max_turns': options.maxTurns } : {}),
      },
    });
  } catch (error) {
    if (isToolError(error)) throw new SetupError(`error: ${error.toLine()}`, EXIT.usage, 'config');
    throw error;
  }
  if (!hasApiKey(config)) throw new SetupError(missingKeyMessage(face), EXIT.noApiKey);

  const { selectTools } = await import('../tools/index.js');
  const filter = {
    ...(options.toolsets ? { toolsets: options.toolsets } : {}),
    readOnly: options.readOnly ?? false,
    config,
  };
  const tools = overrides.tools ? selectTools(filter, overrides.tools) : selectTools(filter);
  if (tools.length === 0 && options.toolsets?.length) {
    const { toolsetNames } = await import('../tools/index.js');
    throw new SetupError(
      `error: no tools match --toolsets ${options.toolsets.join(',')}${options.readOnly ? ' with --read-only' : ''}. Toolsets: ${toolsetNames().join(', ')}`,
      EXIT.usage,
    );
  }
  return {
    config,
    client: await createAnthropicClient(config),
    tools,
    system: loadPrompt('system'),
    model: config.anthropic.model,
    maxTurns: config.anthropic.max_turns,
    maxTokens: config.anthropic.max_tokens,
    store: new SessionStore(config.root, config.secrets),
  };
}

/** The exit code for how a run ended. */
export function exitCodeFor(reason: string): number {
  if (reason === 'end_turn' || reason === 'stop_sequence') return EXIT.ok;
  if (reason === 'aborted') return EXIT.aborted;
  return EXIT.failed;
}

/** The system prompt of one session: the shared prompt, plus its working branch when there is one. */
export function sessionSystem(system: string, workBranch: string | undefined): string {
  if (!workBranch) return system;
  return `${system.trimEnd()}

${loadPrompt('working-branch').replaceAll('{{branch}}', workBranch).trim()}
`;
}
