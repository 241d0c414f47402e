/**
 * `datastack ask "…"`: one prompt, no questions asked. The answer streams to stdout (tool
 * activity to stderr), or `--json` prints one final object, or `--stream-json` one event per line.
 * Nobody can confirm here, so destructive calls are refused unless `--yes`; the model is told.
 */
import { agentWorkBranch, createStderrLogger, createToolContext, declineAll } from '../tools/core/context.js';
import type { AskOptions } from './cli/options.js';
import { emptyUsage, type AgentEvent, type CostedUsage, type ToolErrorInfo } from './events.js';
import { runAgent } from './loop.js';
import { EXIT, exitCodeFor, prepareAgent, sessionSystem, SetupError, type AgentOverrides } from './setup.js';

export interface AskIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface AskToolCall {
  name: string;
  input: unknown;
  ok?: boolean;
  output?: Record<string, unknown>;
  error?: ToolErrorInfo;
  duration_ms?: number;
}

export interface AskJsonResult {
  answer: string;
  tool_calls: AskToolCall[];
  turns: number;
  usage: Omit<CostedUsage, 'cost_usd'>;
  cost_usd: number | null;
  model: string;
  session_id: string;
  stop_reason: string;
  error?: string;
}

const REFUSAL_NOTE = 'Nobody can confirm in `datastack ask`; destructive tools need --yes';

export async function runAsk(
  options: AskOptions,
  io: AskIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  overrides: AgentOverrides = {},
): Promise<number> {
  // With --json, a script reading stdout gets JSON even when nothing ran (as every command does).
  const fail = (error: SetupError): number => {
    io.stderr.write(`${error.message}\n`);
    if (options.json || options.streamJson) io.stdout.write(`${JSON.stringify(error)}\n`);
    return error.exitCode;
  };
  let setup;
  try {
    setup = await prepareAgent('ask', options, overrides);
  } catch (error) {
    if (error instanceof SetupError) return fail(error);
    throw error;
  }
  const prompt = (options.prompt ?? (io.stdin.isTTY ? '' : await readAll(io.stdin))).trim();
  if (!prompt) {
    return fail(
      new SetupError(
        'error: no prompt. Give it as an argument (datastack ask "…") or pipe it on stdin',
        EXIT.usage,
      ),
    );
  }

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  const { config, model } = setup;
  const session = setup.store.create({ model, face: 'ask', profile: config.profile });
  const workBranch = agentWorkBranch(config, session.id);
  const ctx = createToolContext({
    config,
    signal: controller.signal,
    confirm: declineAll,
    log: createStderrLogger(config.secrets),
    ...(workBranch ? { workBranch } : {}),
  });
  const calls = new Map<string, AskToolCall>();
  let errorMessage: string | undefined;
  let final: Extract<AgentEvent, { type: 'done' }> | undefined;
  let endsWithNewline = true;
  const writeLine = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);

  try {
    const events = runAgent({
      client: setup.client,
      tools: setup.tools,
      system: sessionSystem(setup.system, workBranch),
      prompt,
      ctx,
      signal: controller.signal,
      model,
      maxTokens: setup.maxTokens,
      maxTurns: setup.maxTurns,
      policy: {
        readOnly: options.readOnly ?? false,
        preApproved: options.yes ?? false,
        refusalNote: REFUSAL_NOTE,
      },
    });
    for await (const event of events) {
      session.record(event);
      if (event.type === 'tool_call') calls.set(event.id, { name: event.name, input: event.input });
      if (event.type === 'tool_result') Object.assign(calls.get(event.id) ?? {}, outcomeOf(event));
      if (event.type === 'error') errorMessage = event.message;
      if (event.type === 'done') final = event;

      if (options.streamJson) {
        if (event.type === 'done') writeLine({ ...event, session_id: session.id });
        else if (event.type !== 'message') writeLine(event);
      } else if (!options.json) {
        if (event.type === 'text') {
          io.stdout.write(event.text);
          endsWithNewline = event.text.endsWith('\n');
        } else if (event.type === 'turn' && !endsWithNewline) {
          // Each turn's text is its own paragraph.
          io.stdout.write('\n');
          endsWithNewline = true;
        } else describe(event, io.stderr);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    await ctx.clients.closeAll();
  }

  const done = final ?? { reason: 'error', text: '', turns: 0, usage: { ...emptyUsage(), cost_usd: null } };
  if (options.json) {
    const { cost_usd, ...usage } = done.usage;
    const result: AskJsonResult = {
      answer: done.text,
      tool_calls: [...calls.values()],
      turns: done.turns,
      usage,
      cost_usd,
      model,
      session_id: session.id,
      stop_reason: done.reason,
      ...(errorMessage ? { error: errorMessage } : {}),
    };
    writeLine(result);
  } else if (!options.streamJson && !endsWithNewline) io.stdout.write('\n');
  if (!options.json && !options.streamJson && done.reason !== 'end_turn' && done.reason !== 'stop_sequence') {
    io.stderr.write(`${stopMessage(done.reason, setup.maxTurns)} (session ${session.id})\n`);
  }
  return exitCodeFor(done.reason);
}

function outcomeOf(event: Extract<AgentEvent, { type: 'tool_result' }>): Partial<AskToolCall> {
  return {
    ok: event.ok,
    ...(event.ok
      ? { output: event.output ?? {} }
      : { error: event.error ?? { code: 'internal', message: event.text } }),
    duration_ms: event.duration_ms,
  };
}

/** Tool activity and problems on stderr, one line each, so stdout stays the answer. */
function describe(event: AgentEvent, err: NodeJS.WritableStream): void {
  if (event.type === 'tool_call') err.write(`→ ${event.name} ${compactJson(event.input, 160)}\n`);
  else if (event.type === 'tool_result') {
    err.write(
      event.ok
        ? `✓ ${event.name} (${event.duration_ms} ms)\n`
        : `✗ ${event.name}: ${event.error?.message ?? event.text}${event.error?.hint ? `. ${event.error.hint}` : ''}\n`,
    );
  } else if (event.type === 'error') {
    err.write(`error: ${event.message}${event.status ? ` (HTTP ${event.status})` : ''}\n`);
  }
}

export function stopMessage(reason: string, maxTurns: number): string {
  switch (reason) {
    case 'max_turns':
      return `stopped: the turn limit (${maxTurns}) was reached; raise it with --max-turns`;
    case 'max_tokens':
      return 'stopped: the answer hit the output token limit (anthropic.max_tokens)';
    case 'aborted':
      return 'cancelled';
    case 'refusal':
      return 'stopped: the model declined to answer';
    case 'error':
      return 'stopped by an API error';
    default:
      return `stopped: ${reason}`;
  }
}

export function compactJson(value: unknown, max: number): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}
