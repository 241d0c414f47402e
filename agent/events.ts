/**
 * What the agent loop tells its faces. `runAgent` yields these; chat renders them, `ask` prints
 * them as text or JSON, the session store saves the `message` and `usage` ones.
 */
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface CostedUsage extends TokenUsage {
  /** US dollars from the price table; null when the model has no known price. */
  cost_usd: number | null;
}

export interface ToolErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

/** Why a run ended. The first five are the API's own stop reasons. */
export type DoneReason =
  | 'end_turn'
  | 'stop_sequence'
  | 'max_tokens'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'max_turns'
  | 'aborted'
  | 'error';

export type AgentEvent =
  /** A model turn (one Messages API call) starts. */
  | { type: 'turn'; turn: number }
  /** A piece of the model's answer, as it streams in. */
  | { type: 'text'; text: string }
  /** A tool call is about to run (or be refused). */
  | {
      type: 'tool_call';
      id: string;
      name: string;
      input: unknown;
      readOnly: boolean;
      destructive: boolean;
    }
  | { type: 'tool_progress'; id: string; name: string; done: number; total?: number; message?: string }
  | {
      type: 'tool_result';
      id: string;
      name: string;
      ok: boolean;
      /** The structured output (secrets scrubbed), when ok. */
      output?: Record<string, unknown>;
      error?: ToolErrorInfo;
      /** The text the model received. */
      text: string;
      duration_ms: number;
    }
  /** Token usage after each turn: this turn's and the run's running total. */
  | { type: 'usage'; model: string; turn: CostedUsage; total: CostedUsage; note?: string }
  /** A message appended to the conversation (the prompt, the model's turn, tool results). */
  | { type: 'message'; message: MessageParam }
  | { type: 'error'; message: string; status?: number; error_type?: string }
  | {
      type: 'done';
      reason: DoneReason;
      /** The text of the model's last turn. */
      text: string;
      turns: number;
      usage: CostedUsage;
    };

export type AgentEventType = AgentEvent['type'];

export function emptyUsage(): TokenUsage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
  };
}

/** Adds two costs; unknown (null) wins, so a total never hides an unpriced turn. */
export function addCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
