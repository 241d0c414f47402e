/**
 * One model turn over the streaming Messages API: yields text deltas as they arrive and returns
 * the assembled assistant message, its stop reason and usage. Tool arguments arrive as pieces of
 * JSON (`input_json_delta`) and are parsed when their block closes.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageDeltaUsage,
  RawMessageStreamEvent,
  StopReason,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { emptyUsage, type TokenUsage } from './events.js';
import type { ToolCall } from './tool-executor.js';

export interface TurnResult {
  /** Blocks to keep in the history (text and complete tool calls). */
  content: ContentBlockParam[];
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason | null;
  usage: TokenUsage;
  model: string;
  /** The stream ended because the signal fired. */
  aborted: boolean;
}

type Building =
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id: string; name: string; json: string; input?: unknown }
  | { kind: 'other' };

export async function* streamTurn(
  client: Anthropic,
  params: Omit<MessageCreateParamsStreaming, 'stream'>,
  signal: AbortSignal,
): AsyncGenerator<string, TurnResult> {
  const blocks: Building[] = [];
  let usage = emptyUsage();
  let stopReason: StopReason | null = null;
  let model = params.model;

  const stream = await client.messages.create({ ...params, stream: true }, { signal });
  for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
    switch (event.type) {
      case 'message_start':
        model = event.message.model || model;
        usage = mergeUsage(usage, event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          blocks[event.index] = { kind: 'text', text: block.text };
          if (block.text) yield block.text;
        } else if (block.type === 'tool_use') {
          blocks[event.index] = { kind: 'tool_use', id: block.id, name: block.name, json: '' };
        } else blocks[event.index] = { kind: 'other' };
        break;
      }
      case 'content_block_delta': {
        const block = blocks[event.index];
        if (event.delta.type === 'text_delta' && block?.kind === 'text') {
          block.text += event.delta.text;
          yield event.delta.text;
        } else if (event.delta.type === 'input_json_delta' && block?.kind === 'tool_use') {
          block.json += event.delta.partial_json;
        }
        break;
      }
      case 'content_block_stop': {
        const block = blocks[event.index];
        if (block?.kind === 'tool_use') block.input = parseArguments(block.json);
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = mergeUsage(usage, event.usage);
        break;
      case 'message_stop':
        break;
    }
  }
  return assemble(blocks, stopReason, usage, model, signal.aborted);
}

/** Empty arguments mean `{}`; unparseable ones are passed on as text so validation reports them. */
function parseArguments(json: string): unknown {
  if (!json.trim()) return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** message_start carries the input side; message_delta carries cumulative counts (null = unchanged). */
function mergeUsage(
  current: TokenUsage,
  next: Partial<Usage> | MessageDeltaUsage | null | undefined,
): TokenUsage {
  if (!next) return current;
  return {
    input_tokens: next.input_tokens ?? current.input_tokens,
    output_tokens: next.output_tokens ?? current.output_tokens,
    cache_creation_input_tokens: next.cache_creation_input_tokens ?? current.cache_creation_input_tokens,
    cache_read_input_tokens: next.cache_read_input_tokens ?? current.cache_read_input_tokens,
  };
}

function assemble(
  blocks: Building[],
  stopReason: StopReason | null,
  usage: TokenUsage,
  model: string,
  aborted: boolean,
): TurnResult {
  const content: ContentBlockParam[] = [];
  const toolCalls: ToolCall[] = [];
  let text = '';
  // A cut-off turn (abort, max_tokens) may end inside a tool call's JSON: keep its text only.
  const complete = !aborted && stopReason !== 'max_tokens';
  for (const block of blocks) {
    if (block?.kind === 'text' && block.text) {
      text += block.text;
      content.push({ type: 'text', text: block.text });
    } else if (block?.kind === 'tool_use' && complete) {
      const input = block.input ?? parseArguments(block.json);
      // The history must hold an object; the raw text still reaches validation through toolCalls.
      const historyInput = input && typeof input === 'object' && !Array.isArray(input) ? input : {};
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: historyInput });
      toolCalls.push({ id: block.id, name: block.name, input });
    }
  }
  return { content, text, toolCalls, stopReason, usage, model, aborted };
}
