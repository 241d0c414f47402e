/**
 * Runs the tool calls of one model turn. Consecutive read-only calls run together; a call that
 * may change something runs alone, in the order the model asked, so a read after a write sees it.
 * Every outcome (success, ToolError, invalid input, unknown tool, refusal, abort) becomes a
 * `tool_result` block: errors go back to the model with `is_error` and the hint.
 */
import type { Tool, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { scrubSecrets } from '../tools/core/config.js';
import { ToolError } from '../tools/core/errors.js';
import { invokeTool, outputText, type InvokeOutcome, type InvokePolicy } from '../tools/core/invoke.js';
import { inputJsonSchema } from '../tools/core/json-schema.js';
import type { AnyTool, ConfirmGate, ToolContext } from '../tools/core/types.js';
import type { AgentEvent, ToolErrorInfo } from './events.js';

/** About 8k tokens: tools summarise big results and write the rest to a file. */
export const DEFAULT_MAX_RESULT_CHARS = 30_000;

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ExecutorPolicy extends InvokePolicy {
  /** Appended to a refusal, e.g. why nobody could be asked. */
  refusalNote?: string;
}

export interface ExecuteOptions {
  tools: readonly AnyTool[];
  ctx: ToolContext;
  signal: AbortSignal;
  policy: ExecutorPolicy;
  confirm?: ConfirmGate;
  maxResultChars?: number;
  emit: (event: AgentEvent) => void;
}

/** The registry's tools as the Messages API wants them; the last one closes the cached prefix. */
export function toAnthropicTools(tools: readonly AnyTool[]): Tool[] {
  return tools.map((tool, index) => ({
    name: tool.name,
    description: tool.description,
    input_schema: inputJsonSchema(tool),
    ...(index === tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
  }));
}

export async function executeToolCalls(
  calls: readonly ToolCall[],
  options: ExecuteOptions,
): Promise<ToolResultBlockParam[]> {
  const results = new Map<string, ToolResultBlockParam>();
  let batch: ToolCall[] = [];
  const flush = async () => {
    const running = batch;
    batch = [];
    const done = await Promise.all(running.map((call) => executeOne(call, options)));
    for (const result of done) results.set(result.tool_use_id, result);
  };
  for (const call of calls) {
    const tool = options.tools.find((t) => t.name === call.name);
    if (tool?.annotations.readOnly || !tool) {
      batch.push(call);
      continue;
    }
    await flush();
    batch = [call];
    await flush();
  }
  await flush();
  return calls.map((call) => results.get(call.id)!);
}

async function executeOne(call: ToolCall, options: ExecuteOptions): Promise<ToolResultBlockParam> {
  const { ctx, signal, emit } = options;
  const tool = options.tools.find((t) => t.name === call.name);
  emit({
    type: 'tool_call',
    id: call.id,
    name: call.name,
    input: call.input,
    readOnly: tool?.annotations.readOnly ?? false,
    destructive: tool?.annotations.destructive ?? false,
  });
  const started = performance.now();
  let outcome: InvokeOutcome;
  if (!tool) {
    const known = options.tools.map((t) => t.name).join(', ');
    outcome = fail(
      new ToolError('not_found', `Unknown tool "${call.name}"`, { hint: `Available tools: ${known}` }),
    );
  } else if (signal.aborted) {
    outcome = fail(new ToolError('aborted', 'Cancelled before it ran'));
  } else {
    const callCtx: ToolContext = {
      ...ctx,
      signal,
      confirm: options.confirm ?? ctx.confirm,
      progress: (update) => emit({ type: 'tool_progress', id: call.id, name: call.name, ...update }),
    };
    outcome = await raceAbort(invokeTool(tool, call.input, callCtx, options.policy), signal);
  }
  const duration_ms = Math.round(performance.now() - started);
  const secrets = ctx.config.secrets;
  const cap = options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;

  if (outcome.ok) {
    const text = capText(scrubSecrets(outputText(tool!, outcome.output), secrets), cap);
    emit({
      type: 'tool_result',
      id: call.id,
      name: call.name,
      ok: true,
      output: scrubJson(outcome.output, secrets),
      text,
      duration_ms,
    });
    return { type: 'tool_result', tool_use_id: call.id, content: text };
  }
  const error = errorInfo(outcome.error, secrets, options.policy.refusalNote);
  const text = capText(`Error (${error.code}): ${error.message}${error.hint ? `. ${error.hint}` : ''}`, cap);
  emit({ type: 'tool_result', id: call.id, name: call.name, ok: false, error, text, duration_ms });
  return { type: 'tool_result', tool_use_id: call.id, content: text, is_error: true };
}

function fail(error: ToolError): InvokeOutcome {
  return { ok: false, error };
}

/** A tool that ignores its abort signal must not hold the loop: the turn ends when aborted. */
function raceAbort(work: Promise<InvokeOutcome>, signal: AbortSignal): Promise<InvokeOutcome> {
  if (signal.aborted) return Promise.resolve(fail(new ToolError('aborted', 'Cancelled')));
  return new Promise((resolve) => {
    const onAbort = () => resolve(fail(new ToolError('aborted', 'Cancelled while running')));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, (error: unknown) => resolve(fail(new ToolError('internal', String(error)))));
    void work.finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function errorInfo(error: ToolError, secrets: readonly string[], refusalNote?: string): ToolErrorInfo {
  const message = scrubSecrets(error.message, secrets);
  const hint = error.hint ? scrubSecrets(error.hint, secrets) : undefined;
  const note = error.code === 'refused' && refusalNote ? refusalNote : undefined;
  const combined = [note, hint].filter(Boolean).join('. ');
  return { code: error.code, message, ...(combined ? { hint: combined } : {}) };
}

export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.length - max;
  return `${text.slice(0, max)}\n[… truncated: ${cut} more characters not shown. Narrow the request, or write the full result to a file.]`;
}

/** Scrubs secret values from a structured output; falls back to the original if it stops parsing. */
export function scrubJson<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const json = JSON.stringify(value);
  const scrubbed = scrubSecrets(json, secrets);
  if (scrubbed === json) return value;
  try {
    return JSON.parse(scrubbed) as T;
  } catch {
    return { scrubbed: scrubSecrets(json, secrets) } as T;
  }
}
