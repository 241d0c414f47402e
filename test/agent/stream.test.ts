/**
 * Streaming, usage and cost, prompt caching, abort, and what reaches the model (scrubbed and
 * capped), through the real SDK and the fake Messages server (Anthropic's documented API; no
 * real server can run here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../agent/loop.js';
import { defineTool } from '../../tools/core/types.js';
import {
  collect,
  doneOf,
  hangingTool,
  ofType,
  startHarness,
  timedTool,
  toolResultsSent,
  type Harness,
  type Span,
} from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const echoTool = defineTool({
  name: 'fixture_echo',
  title: 'Echo',
  description: 'Fixture: returns its text',
  toolset: 'fixture',
  input: z.object({
    text: z.string().describe('Text to return'),
    repeat: z.number().default(1).describe('Times'),
  }),
  output: z.object({ text: z.string().describe('The text') }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  toText: (output) => output.text,
  run(input) {
    return Promise.resolve({ text: input.text.repeat(input.repeat) });
  },
});

describe('streaming', () => {
  it('yields the answer text in several pieces as it arrives', async () => {
    const answer = 'The sales table has 1,204 rows across four regions.';
    h = await startHarness([{ content: [{ type: 'text', text: answer }], pieces: 5 }]);
    const events = await h.run({ tools: [] });
    const texts = ofType(events, 'text').map((e) => e.text);
    expect(texts.length).toBeGreaterThanOrEqual(5);
    expect(texts.join('')).toBe(answer);
    expect(doneOf(events).text).toBe(answer);
    expect(events.map((e) => e.type).slice(0, 3)).toEqual(['message', 'turn', 'text']);
  });
});

describe('usage and cost', () => {
  it('adds up tokens and dollars across turns from the API usage', async () => {
    h = await startHarness([
      {
        content: [{ type: 'tool_use', name: 'fixture_echo', input: { text: 'hi' } }],
        usage: {
          input_tokens: 1000,
          output_tokens: 200,
          cache_creation_input_tokens: 500,
          cache_read_input_tokens: 0,
        },
      },
      {
        content: [{ type: 'text', text: 'done' }],
        usage: {
          input_tokens: 1200,
          output_tokens: 100,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 500,
        },
      },
    ]);
    const events = await h.run({ tools: [echoTool], model: 'claude-sonnet-4-5-20250929' });
    const usage = ofType(events, 'usage');
    expect(usage.map((u) => u.turn.input_tokens)).toEqual([1000, 1200]);
    // sonnet-4-5: $3 in, $15 out, cache write 3.75, cache read 0.30 per MTok.
    expect(usage[0]!.turn.cost_usd).toBeCloseTo((1000 * 3 + 200 * 15 + 500 * 3.75) / 1e6, 12);
    expect(usage[1]!.turn.cost_usd).toBeCloseTo((1200 * 3 + 100 * 15 + 500 * 0.3) / 1e6, 12);
    const done = doneOf(events);
    expect(done.usage).toMatchObject({
      input_tokens: 2200,
      output_tokens: 300,
      cache_creation_input_tokens: 500,
      cache_read_input_tokens: 500,
    });
    expect(done.usage.cost_usd).toBeCloseTo(0.007875 + 0.00525, 12);
    expect(usage[1]!.total.cost_usd).toBeCloseTo(done.usage.cost_usd!, 12);
  });

  it('reports a null cost with a note for a model without a price', async () => {
    h = await startHarness([
      { content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 10, output_tokens: 5 } },
    ]);
    const events = await h.run({ tools: [], model: 'claude-unknown-9' });
    const [usage] = ofType(events, 'usage');
    expect(usage?.turn.cost_usd).toBeNull();
    expect(usage?.note).toContain('claude-unknown-9');
    expect(doneOf(events).usage).toMatchObject({ input_tokens: 10, output_tokens: 5, cost_usd: null });
  });
});

describe('prompt caching', () => {
  it('marks the system prompt, the last tool and the last message as cache breakpoints', async () => {
    const spans: Span[] = [];
    h = await startHarness([
      { content: [{ type: 'tool_use', name: 'fixture_echo', input: { text: 'x' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    await h.run({ tools: [timedTool('fixture_read', 1, spans, true), echoTool], system: 'SYSTEM PROMPT' });
    for (const { body } of h.fake.requests) {
      expect(body.system).toEqual([
        { type: 'text', text: 'SYSTEM PROMPT', cache_control: { type: 'ephemeral' } },
      ]);
      expect(body.tools?.map((t) => t.cache_control)).toEqual([undefined, { type: 'ephemeral' }]);
      const last = body.messages.at(-1)!.content as Array<{ cache_control?: unknown }>;
      expect(last.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    }
    // Only the newest message carries a breakpoint (the API allows four in all).
    const second = h.fake.requests[1]!.body.messages;
    expect(JSON.stringify(second.slice(0, -1))).not.toContain('cache_control');
  });
});

describe('abort', () => {
  it('stops mid-stream and ends with done(aborted)', async () => {
    const long = 'word '.repeat(60);
    h = await startHarness([{ content: [{ type: 'text', text: long }], pieces: 30, delayMs: 40 }]);
    const controller = new AbortController();
    const started = performance.now();
    const events = await collect(
      runAgent({
        client: h.client,
        ctx: h.ctx,
        tools: [],
        system: 's',
        prompt: 'go',
        model: 'claude-sonnet-4-5',
        maxTokens: 100,
        maxTurns: 5,
        signal: controller.signal,
      }),
      (event) => {
        if (event.type === 'text') controller.abort();
      },
    );
    expect(doneOf(events).reason).toBe('aborted');
    expect(ofType(events, 'text').length).toBeLessThan(30);
    expect(ofType(events, 'error')).toHaveLength(0);
    // 30 pieces at 40 ms each would take over a second.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('stops a running tool through its signal and ends with done(aborted)', async () => {
    const started: string[] = [];
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'hang1', name: 'fixture_hang', input: {} }] },
      { content: [{ type: 'text', text: 'never asked' }] },
    ]);
    const controller = new AbortController();
    const events = await collect(
      runAgent({
        client: h.client,
        ctx: h.ctx,
        tools: [hangingTool(started)],
        system: 's',
        prompt: 'go',
        model: 'claude-sonnet-4-5',
        maxTokens: 100,
        maxTurns: 5,
        signal: controller.signal,
      }),
      (event) => {
        if (event.type === 'tool_progress') controller.abort();
      },
    );
    expect(started).toEqual(['hang']);
    expect(ofType(events, 'tool_progress')[0]).toMatchObject({
      id: 'hang1',
      done: 1,
      total: 2,
      message: 'waiting',
    });
    expect(ofType(events, 'tool_result')[0]).toMatchObject({
      id: 'hang1',
      ok: false,
      error: { code: 'aborted' },
    });
    expect(doneOf(events).reason).toBe('aborted');
    expect(h.fake.requests).toHaveLength(1);
    // The history stays valid: the tool call has its (aborted) result.
    const last = ofType(events, 'message').at(-1)!.message;
    expect(last.role).toBe('user');
    expect(JSON.stringify(last.content)).toContain('hang1');
  });
});

describe('what reaches the model', () => {
  it('scrubs configured secrets from tool results and events', async () => {
    h = await startHarness([
      { content: [{ type: 'tool_use', name: 'fixture_echo', input: { text: 'key=sk-secret-123456' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    const ctx = { ...h.ctx, config: { ...h.ctx.config, secrets: ['sk-secret-123456'] } };
    const events = await h.run({ tools: [echoTool], ctx });
    const [sent] = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent?.content).toBe('key=***');
    expect(JSON.stringify(ofType(events, 'tool_result'))).not.toContain('sk-secret-123456');
  });

  it('caps a long tool result and says it was truncated', async () => {
    h = await startHarness([
      { content: [{ type: 'tool_use', name: 'fixture_echo', input: { text: 'abcdefghij', repeat: 500 } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    await h.run({ tools: [echoTool], maxResultChars: 300 });
    const [sent] = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent!.content!.length).toBeLessThan(500);
    expect(sent!.content).toContain('truncated: 4700 more characters');
  });
});
