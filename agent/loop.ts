/**
 * The agent loop: ask the model (streaming), run the tools it calls, hand back the results, until
 * it answers, the turn limit is reached, or the user aborts. It only yields events; the terminal
 * faces render them. The client is passed in (tests point it at a fake server) and nothing here
 * reads process.env.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, StopReason, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { scrubSecrets } from '../tools/core/config.js';
import type { AnyTool, ConfirmGate, ToolContext } from '../tools/core/types.js';
import { Channel } from './channel.js';
import { addCost, addUsage, emptyUsage, type AgentEvent, type DoneReason } from './events.js';
import { missingResult, requestMessages, userText } from './history.js';
import { costOf } from './pricing.js';
import { streamTurn, type TurnResult } from './stream-turn.js';
import { executeToolCalls, toAnthropicTools, type ExecutorPolicy } from './tool-executor.js';

export interface RunAgentOptions {
  client: Anthropic;
  tools: readonly AnyTool[];
  /** The system prompt (prompts/system.md); sent as one cached block. */
  system: string;
  /** The conversation so far. */
  messages?: readonly MessageParam[];
  /** A new user message, appended (and yielded as a `message` event) before the first turn. */
  prompt?: string;
  /** The base context for tools; each call gets its own progress reporter and the run's signal. */
  ctx: ToolContext;
  signal?: AbortSignal;
  model: string;
  maxTokens: number;
  /** Model calls allowed in this run. */
  maxTurns: number;
  policy?: ExecutorPolicy;
  /** Overrides ctx.confirm for destructive calls. */
  confirm?: ConfirmGate;
  maxResultChars?: number;
}

export async function* runAgent(options: RunAgentOptions): AsyncGenerator<AgentEvent> {
  const { client, model, maxTurns, ctx } = options;
  const signal = options.signal ?? ctx.signal;
  const toolSignal = options.signal ? AbortSignal.any([options.signal, ctx.signal]) : ctx.signal;
  const history: MessageParam[] = [...(options.messages ?? [])];
  const append = (message: MessageParam): AgentEvent => {
    history.push(message);
    return { type: 'message', message };
  };
  const tools = toAnthropicTools(options.tools);
  const system: TextBlockParam[] = [
    { type: 'text', text: options.system, cache_control: { type: 'ephemeral' } },
  ];

  let total = emptyUsage();
  let totalCost: number | null = 0;
  let lastText = '';
  let turns = 0;
  const done = (reason: DoneReason): AgentEvent => ({
    type: 'done',
    reason,
    text: lastText,
    turns,
    usage: { ...total, cost_usd: totalCost },
  });

  if (options.prompt !== undefined) yield append(userText(options.prompt));

  for (;;) {
    if (signal.aborted) {
      yield done('aborted');
      return;
    }
    if (turns >= maxTurns) {
      yield done('max_turns');
      return;
    }
    turns += 1;
    yield { type: 'turn', turn: turns };

    let result: TurnResult;
    try {
      const turn = streamTurn(
        client,
        {
          model,
          max_tokens: options.maxTokens,
          system,
          ...(tools.length > 0 ? { tools } : {}),
          messages: requestMessages(history),
        },
        signal,
      );
      let step = await turn.next();
      while (!step.done) {
        yield { type: 'text', text: step.value };
        step = await turn.next();
      }
      result = step.value;
    } catch (error) {
      if (signal.aborted) {
        yield done('aborted');
        return;
      }
      yield apiErrorEvent(error, ctx.config.secrets);
      yield done('error');
      return;
    }

    const cost = costOf(result.model, result.usage);
    total = addUsage(total, result.usage);
    totalCost = addCost(totalCost, cost.cost_usd);
    yield {
      type: 'usage',
      model: result.model,
      turn: { ...result.usage, cost_usd: cost.cost_usd },
      total: { ...total, cost_usd: totalCost },
      ...(cost.note ? { note: cost.note } : {}),
    };
    lastText = result.text;
    if (result.content.length > 0) yield append({ role: 'assistant', content: result.content });

    if (result.aborted || signal.aborted) {
      yield done('aborted');
      return;
    }
    if (result.stopReason === 'max_tokens') {
      yield done('max_tokens');
      return;
    }
    // The API paused a long turn; sending the conversation back lets it continue.
    if (result.stopReason === 'pause_turn') continue;
    if (result.toolCalls.length === 0) {
      yield done(doneReason(result.stopReason));
      return;
    }

    if (turns >= maxTurns) {
      // The model never sees these; they keep the history valid for a resumed session.
      const why = `Not run: the turn limit (${maxTurns}) was reached.`;
      yield append({ role: 'user', content: result.toolCalls.map((call) => missingResult(call.id, why)) });
      yield done('max_turns');
      return;
    }

    const channel = new Channel<AgentEvent>();
    const work = executeToolCalls(result.toolCalls, {
      tools: options.tools,
      ctx,
      signal: toolSignal,
      policy: options.policy ?? {},
      ...(options.confirm ? { confirm: options.confirm } : {}),
      ...(options.maxResultChars ? { maxResultChars: options.maxResultChars } : {}),
      emit: (event) => channel.push(event),
    }).finally(() => channel.close());
    yield* channel.drain();
    yield append({ role: 'user', content: await work });
    if (signal.aborted) {
      yield done('aborted');
      return;
    }
  }
}

function doneReason(stop: StopReason | null): DoneReason {
  switch (stop) {
    case 'stop_sequence':
    case 'refusal':
    case 'model_context_window_exceeded':
      return stop;
    default:
      return 'end_turn';
  }
}

/** SDK errors carry the HTTP status and the API's error type; read them without importing the SDK. */
function apiErrorEvent(error: unknown, secrets: readonly string[]): AgentEvent {
  const e = (error ?? {}) as { status?: unknown; type?: unknown; apiMessage?: unknown; message?: unknown };
  const message =
    typeof e.apiMessage === 'string' && e.apiMessage
      ? e.apiMessage
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  return {
    type: 'error',
    message: scrubSecrets(message, secrets),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(typeof e.type === 'string' ? { error_type: e.type } : {}),
  };
}
