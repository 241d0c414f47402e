/**
 * The conversation as the loop keeps it, and as the API must receive it. Stored history may hold
 * two user messages in a row (a prompt after an aborted turn) or a tool call whose result was
 * never written (a crash); `requestMessages` turns it into a valid request.
 */
import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';

export function userText(text: string): MessageParam {
  return { role: 'user', content: text };
}

function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? message.content
      ? [{ type: 'text', text: message.content }]
      : []
    : [...message.content];
}

function toolUses(message: MessageParam): ToolUseBlockParam[] {
  return blocksOf(message).filter((b): b is ToolUseBlockParam => b.type === 'tool_use');
}

function toolResultIds(message: MessageParam | undefined): Set<string> {
  if (!message || message.role !== 'user') return new Set();
  return new Set(
    blocksOf(message)
      .filter((b): b is ToolResultBlockParam => b.type === 'tool_result')
      .map((b) => b.tool_use_id),
  );
}

export function missingResult(id: string, why: string): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: id, is_error: true, content: why };
}

/**
 * Gives every tool call a result (the API refuses a `tool_use` without one) and merges
 * consecutive messages of the same role, tool results first.
 */
export function repairHistory(history: readonly MessageParam[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (let i = 0; i < history.length; i++) {
    const message = history[i]!;
    if (message.role === 'system') continue;
    push(out, message);
    if (message.role !== 'assistant') continue;
    const answered = toolResultIds(history[i + 1]);
    const missing = toolUses(message).filter((use) => !answered.has(use.id));
    if (missing.length > 0) {
      push(out, {
        role: 'user',
        content: missing.map((use) => missingResult(use.id, 'Not run: the session was interrupted.')),
      });
    }
  }
  return out;
}

function push(out: MessageParam[], message: MessageParam): void {
  const last = out.at(-1);
  if (!last || last.role !== message.role) {
    out.push(message);
    return;
  }
  const blocks = [...blocksOf(last), ...blocksOf(message)];
  // Tool results must open a user message.
  if (message.role === 'user') blocks.sort((a, b) => rank(a) - rank(b));
  out[out.length - 1] = { role: message.role, content: blocks } as MessageParam;
}

function rank(block: ContentBlockParam): number {
  return block.type === 'tool_result' ? 0 : 1;
}

/**
 * The messages of one request: repaired, with a cache breakpoint on the last block so each turn of
 * a tool loop reads the conversation so far from the prompt cache.
 */
export function requestMessages(history: readonly MessageParam[]): MessageParam[] {
  const messages = repairHistory(history);
  const last = messages.at(-1);
  if (!last) return messages;
  const blocks = blocksOf(last);
  const tail = blocks.at(-1);
  if (tail && tail.type !== 'thinking' && tail.type !== 'redacted_thinking') {
    blocks[blocks.length - 1] = { ...tail, cache_control: { type: 'ephemeral' } };
    messages[messages.length - 1] = { role: last.role, content: blocks } as MessageParam;
  }
  return messages;
}
