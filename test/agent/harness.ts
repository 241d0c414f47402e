/**
 * Agent test harness: the real Anthropic SDK pointed at the fake Messages server, a temporary
 * workspace, and helpers to collect what runAgent yields. Fixture tools live here too.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { AgentEvent } from '../../agent/events.js';
import { runAgent, type RunAgentOptions } from '../../agent/loop.js';
import { defineTool, type AnyTool, type ToolContext } from '../../tools/core/types.js';
import { ToolError } from '../../tools/core/errors.js';
import { startFakeAnthropic, type FakeAnthropic, type ScriptStep } from '../fakes/anthropic-server.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export interface Harness {
  fake: FakeAnthropic;
  client: Anthropic;
  workspace: TempWorkspace;
  ctx: ToolContext;
  run(options: Partial<RunAgentOptions> & { tools: readonly AnyTool[] }): Promise<AgentEvent[]>;
  close(): Promise<void>;
}

export async function startHarness(
  steps: ScriptStep[],
  files: Record<string, string> = {},
): Promise<Harness> {
  const fake = await startFakeAnthropic(steps);
  const client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: fake.url, maxRetries: 0 });
  const workspace = makeWorkspace(files);
  const ctx = await contextFor(workspace.root);
  return {
    fake,
    client,
    workspace,
    ctx,
    async run(options) {
      return collect(
        runAgent({
          client,
          ctx,
          system: 'You are a test agent.',
          model: 'claude-sonnet-4-5',
          maxTokens: 1024,
          maxTurns: 10,
          prompt: 'go',
          ...options,
        }),
      );
    },
    async close() {
      await fake.close();
      workspace.cleanup();
    },
  };
}

export async function collect(
  events: AsyncIterable<AgentEvent>,
  onEvent?: (event: AgentEvent) => void,
): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) {
    out.push(event);
    onEvent?.(event);
  }
  return out;
}

export function ofType<T extends AgentEvent['type']>(
  events: AgentEvent[],
  type: T,
): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}

export function doneOf(events: AgentEvent[]): Extract<AgentEvent, { type: 'done' }> {
  const done = ofType(events, 'done');
  if (done.length !== 1) throw new Error(`expected one done event, got ${done.length}`);
  return done[0]!;
}

/** The tool_result blocks of a recorded request's last user message. */
export function toolResultsSent(body: { messages: Array<{ role: string; content: unknown }> }): Array<{
  tool_use_id: string;
  content?: string;
  is_error?: boolean;
}> {
  const last = body.messages.at(-1);
  if (!last || !Array.isArray(last.content)) return [];
  return (
    last.content as Array<{ type: string; tool_use_id: string; content?: string; is_error?: boolean }>
  ).filter((b) => b.type === 'tool_result');
}

export interface Span {
  name: string;
  start: number;
  end: number;
}

/** Tools that wait `ms` and record when they ran: reads and writes, to observe concurrency. */
export function timedTool(name: string, ms: number, spans: Span[], readOnly: boolean): AnyTool {
  return defineTool({
    name,
    title: name,
    description: `Fixture: waits ${ms} ms`,
    toolset: 'fixture',
    input: z.object({ tag: z.string().describe('Any label') }),
    output: z.object({ tag: z.string().describe('The label back') }),
    annotations: { readOnly, destructive: false, idempotent: true, openWorld: false },
    async run(input) {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      spans.push({ name: `${name}:${input.tag}`, start, end: performance.now() });
      return { tag: input.tag };
    },
  });
}

/** A destructive fixture whose side effect is a flag the test can check. */
export function destructiveTool(effects: string[]): AnyTool {
  return defineTool({
    name: 'fixture_drop_table',
    title: 'Drop table',
    description: 'Fixture: drops a table (records the effect)',
    toolset: 'fixture',
    input: z.object({ table: z.string().describe('Table to drop') }),
    output: z.object({ dropped: z.string().describe('The dropped table') }),
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: false },
    confirmSummary: (input) => `Drop table ${input.table}`,
    run(input) {
      effects.push(input.table);
      return Promise.resolve({ dropped: input.table });
    },
  });
}

/** Fails with a ToolError carrying a hint. */
export const failingTool: AnyTool = defineTool({
  name: 'fixture_fail',
  title: 'Fail',
  description: 'Fixture: always fails',
  toolset: 'fixture',
  input: z.object({ path: z.string().describe('A path') }),
  output: z.object({ ok: z.boolean().describe('Never returned') }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run(input) {
    return Promise.reject(
      new ToolError('not_found', `No such file ${input.path}`, {
        hint: 'Call query_list_datasets to see the files',
      }),
    );
  },
});

/** Waits until aborted (or 10 s), recording that it started. */
export function hangingTool(started: string[]): AnyTool {
  return defineTool({
    name: 'fixture_hang',
    title: 'Hang',
    description: 'Fixture: waits for the abort signal',
    toolset: 'fixture',
    input: z.object({}),
    output: z.object({ finished: z.boolean().describe('True if it was not aborted') }),
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
    async run(_input, ctx) {
      started.push('hang');
      ctx.progress({ done: 1, total: 2, message: 'waiting' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { finished: !ctx.signal.aborted };
    },
  });
}
