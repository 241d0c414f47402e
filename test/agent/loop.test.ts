/**
 * runAgent through the real Anthropic SDK against the fake Messages server (test/fakes), which
 * follows Anthropic's documented HTTP API because no real one can run here. Assertions are on
 * tool calls, their arguments and what the model received, never on prose.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyOf, type RecordedRequest } from '../fakes/anthropic-server.js';
import { queryListDatasets } from '../../tools/query/list-datasets.js';
import {
  destructiveTool,
  doneOf,
  failingTool,
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

describe('runAgent: one tool call end to end', () => {
  it('runs query_list_datasets in the workspace and sends its result back as a tool_result', async () => {
    h = await startHarness(
      [
        {
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'query_list_datasets', input: { folder: 'data' } },
          ],
        },
        { content: [{ type: 'text', text: 'There is one dataset.' }] },
      ],
      { 'data/sales.csv': 'region,revenue\nnorth,10\n', 'notes.txt': 'not data' },
    );
    const events = await h.run({ tools: [queryListDatasets], prompt: 'which datasets?' });

    expect(ofType(events, 'tool_call').map((e) => [e.name, e.input])).toEqual([
      ['query_list_datasets', { folder: 'data' }],
    ]);
    const [result] = ofType(events, 'tool_result');
    expect(result).toMatchObject({
      id: 'toolu_1',
      ok: true,
      output: { total: 1, datasets: [{ path: 'data/sales.csv', format: 'csv' }] },
    });
    expect(doneOf(events)).toMatchObject({ reason: 'end_turn', turns: 2 });

    expect(h.fake.requests).toHaveLength(2);
    const first = h.fake.requests[0]!.body;
    expect(first.stream).toBe(true);
    expect(first.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'text', text: 'which datasets?', cache_control: { type: 'ephemeral' } }],
      },
    ]);
    expect(first.tools?.map((t) => t.name)).toEqual(['query_list_datasets']);
    expect(first.tools?.[0]?.input_schema).toMatchObject({
      type: 'object',
      properties: { folder: { type: 'string' } },
    });

    const second = h.fake.requests[1]!.body;
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second.messages[1]!.content).toEqual([
      { type: 'text', text: 'Looking.' },
      { type: 'tool_use', id: 'toolu_1', name: 'query_list_datasets', input: { folder: 'data' } },
    ]);
    const [sent] = toolResultsSent(second);
    expect(sent?.tool_use_id).toBe('toolu_1');
    expect(sent?.is_error).toBeUndefined();
    expect(sent?.content).toContain('data/sales.csv');
    expect(sent?.content).not.toContain('notes.txt');
    // The request carried the SDK's auth and version headers.
    expect(apiKeyOf(h.fake.requests[0]!.headers)).toBe('sk-ant-test-key');
    expect(h.fake.requests[0]!.headers['anthropic-version']).toBeTruthy();
  });

  it('also works when the model answers without tools (no tools offered)', async () => {
    h = await startHarness([{ content: [{ type: 'text', text: 'Hi.' }] }]);
    const events = await h.run({ tools: [] });
    expect(h.fake.requests[0]!.body.tools).toBeUndefined();
    expect(doneOf(events)).toMatchObject({ reason: 'end_turn', text: 'Hi.', turns: 1 });
  });
});

describe('runAgent: scheduling', () => {
  it('runs the read-only calls of one turn concurrently and the writes one at a time, in order', async () => {
    const spans: Span[] = [];
    const read = timedTool('fixture_read', 150, spans, true);
    const write = timedTool('fixture_write', 60, spans, false);
    h = await startHarness([
      {
        content: [
          { type: 'tool_use', id: 'r1', name: 'fixture_read', input: { tag: 'a' } },
          { type: 'tool_use', id: 'r2', name: 'fixture_read', input: { tag: 'b' } },
          { type: 'tool_use', id: 'r3', name: 'fixture_read', input: { tag: 'c' } },
          { type: 'tool_use', id: 'w1', name: 'fixture_write', input: { tag: 'x' } },
          { type: 'tool_use', id: 'w2', name: 'fixture_write', input: { tag: 'y' } },
        ],
      },
      { content: [{ type: 'text', text: 'done' }] },
    ]);
    const events = await h.run({ tools: [read, write] });
    const span = (name: string) => spans.find((s) => s.name === name)!;
    const reads = ['fixture_read:a', 'fixture_read:b', 'fixture_read:c'].map(span);
    // Concurrent: every read started before any read finished.
    expect(Math.max(...reads.map((r) => r.start))).toBeLessThan(Math.min(...reads.map((r) => r.end)));
    // Serial: each write starts after the previous call finished.
    const [w1, w2] = [span('fixture_write:x'), span('fixture_write:y')];
    expect(w1.start).toBeGreaterThanOrEqual(Math.max(...reads.map((r) => r.end)));
    expect(w2.start).toBeGreaterThanOrEqual(w1.end);
    // The model gets the results in the order it asked.
    expect(toolResultsSent(h.fake.requests[1]!.body).map((r) => r.tool_use_id)).toEqual([
      'r1',
      'r2',
      'r3',
      'w1',
      'w2',
    ]);
    expect(ofType(events, 'tool_result').every((r) => r.ok)).toBe(true);
  });
});

describe('runAgent: errors go back to the model', () => {
  it('reports a ToolError with its message and hint as is_error', async () => {
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'f1', name: 'fixture_fail', input: { path: 'missing.csv' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    const events = await h.run({ tools: [failingTool] });
    const [sent] = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent).toMatchObject({ tool_use_id: 'f1', is_error: true });
    expect(sent?.content).toContain('not_found');
    expect(sent?.content).toContain('No such file missing.csv');
    expect(sent?.content).toContain('Call query_list_datasets to see the files');
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports invalid arguments (schema mismatch and broken JSON) as is_error', async () => {
    h = await startHarness([
      {
        content: [
          { type: 'tool_use', id: 'bad1', name: 'fixture_fail', input: { path: 42 } },
          { type: 'tool_use', id: 'bad2', name: 'fixture_fail', rawJson: '{"path": "a.csv"' },
        ],
      },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    await h.run({ tools: [failingTool] });
    const sent = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent.map((r) => [r.tool_use_id, r.is_error])).toEqual([
      ['bad1', true],
      ['bad2', true],
    ]);
    for (const r of sent) expect(r.content).toContain('invalid_input');
    expect(sent[0]!.content).toContain('path');
    // The history keeps an object for the broken call, so the next request is valid.
    const assistant = h.fake.requests[1]!.body.messages[1]!.content as Array<{
      type: string;
      input?: unknown;
    }>;
    expect(
      assistant.find((b) => b.type === 'tool_use' && b.input && typeof b.input === 'object'),
    ).toBeTruthy();
  });

  it('reports an unknown tool name as is_error listing the available tools', async () => {
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'u1', name: 'query_drop_everything', input: {} }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    await h.run({ tools: [failingTool] });
    const [sent] = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent).toMatchObject({ tool_use_id: 'u1', is_error: true });
    expect(sent?.content).toContain('Unknown tool "query_drop_everything"');
    expect(sent?.content).toContain('fixture_fail');
  });

  it('reports a refused destructive call to the model, and the tool does not run', async () => {
    const effects: string[] = [];
    const asked: string[] = [];
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'd1', name: 'fixture_drop_table', input: { table: 'sales' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    const events = await h.run({
      tools: [destructiveTool(effects)],
      confirm: (request) => {
        asked.push(request.summary);
        return Promise.resolve(false);
      },
    });
    expect(asked).toEqual(['Drop table sales']);
    expect(effects).toEqual([]);
    const [sent] = toolResultsSent(h.fake.requests[1]!.body);
    expect(sent).toMatchObject({ tool_use_id: 'd1', is_error: true });
    expect(sent?.content).toContain('refused');
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('adds the refusal note, and runs a destructive call without asking when pre-approved', async () => {
    const effects: string[] = [];
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'd1', name: 'fixture_drop_table', input: { table: 'a' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
      { content: [{ type: 'tool_use', id: 'd2', name: 'fixture_drop_table', input: { table: 'b' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    const tools = [destructiveTool(effects)];
    await h.run({ tools, policy: { refusalNote: 'Nobody can confirm here' } });
    expect(effects).toEqual([]);
    expect(toolResultsSent(h.fake.requests[1]!.body)[0]?.content).toContain('Nobody can confirm here');

    let asked = 0;
    await h.run({
      tools,
      policy: { preApproved: true },
      confirm: () => {
        asked += 1;
        return Promise.resolve(false);
      },
    });
    expect(effects).toEqual(['b']);
    expect(asked).toBe(0);
    expect(toolResultsSent(h.fake.requests[3]!.body)[0]).toMatchObject({ tool_use_id: 'd2' });
    expect(toolResultsSent(h.fake.requests[3]!.body)[0]?.is_error).toBeUndefined();
  });

  it('refuses a write in read-only mode', async () => {
    const effects: string[] = [];
    h = await startHarness([
      { content: [{ type: 'tool_use', id: 'd1', name: 'fixture_drop_table', input: { table: 'a' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    await h.run({
      tools: [destructiveTool(effects)],
      policy: { readOnly: true },
      confirm: () => Promise.resolve(true),
    });
    expect(effects).toEqual([]);
    expect(toolResultsSent(h.fake.requests[1]!.body)[0]).toMatchObject({ is_error: true });
    expect(toolResultsSent(h.fake.requests[1]!.body)[0]?.content).toContain('read_only');
  });
});

describe('runAgent: API errors', () => {
  it('turns a 529 overloaded answer into an error event and done(error)', async () => {
    h = await startHarness([{ httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }]);
    const events = await h.run({ tools: [] });
    expect(ofType(events, 'error')).toEqual([
      { type: 'error', message: 'Overloaded', status: 529, error_type: 'overloaded_error' },
    ]);
    expect(doneOf(events).reason).toBe('error');
  });

  it('turns a 400 invalid_request_error into an error event', async () => {
    h = await startHarness([
      {
        httpError: { status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate' },
      },
    ]);
    const events = await h.run({ tools: [] });
    expect(ofType(events, 'error')[0]).toMatchObject({ status: 400, error_type: 'invalid_request_error' });
  });

  it('turns an `error` SSE event mid-stream into an error event', async () => {
    h = await startHarness([
      {
        streamError: { type: 'overloaded_error', message: 'Overloaded' },
        before: [{ type: 'text', text: 'Partial answer' }],
      },
    ]);
    const events = await h.run({ tools: [] });
    expect(ofType(events, 'text').length).toBeGreaterThan(0);
    expect(ofType(events, 'error')[0]).toMatchObject({ error_type: 'overloaded_error' });
    expect(doneOf(events).reason).toBe('error');
  });

  it('lets the SDK retry an overloaded answer when the client allows retries', async () => {
    h = await startHarness([
      { httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded', retryAfterMs: 10 } },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    const client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: h.fake.url, maxRetries: 1 });
    const events = await h.run({ tools: [], client });
    expect(h.fake.requests).toHaveLength(2);
    expect(doneOf(events).reason).toBe('end_turn');
  });
});

describe('runAgent: limits', () => {
  it('stops at the turn limit without running the last turn’s calls', async () => {
    const spans: Span[] = [];
    const read = timedTool('fixture_read', 1, spans, true);
    const again = (_r: RecordedRequest) => ({
      content: [{ type: 'tool_use' as const, name: 'fixture_read', input: { tag: 'again' } }],
    });
    h = await startHarness([again, again, again, again]);
    const events = await h.run({ tools: [read], maxTurns: 2 });
    expect(h.fake.requests).toHaveLength(2);
    expect(ofType(events, 'tool_call')).toHaveLength(1);
    expect(spans).toHaveLength(1);
    expect(doneOf(events)).toMatchObject({ reason: 'max_turns', turns: 2 });
    // The unrun call still gets a result in the history, so a resumed chat is a valid request.
    const last = ofType(events, 'message').at(-1)!.message;
    expect(last.role).toBe('user');
    expect(JSON.stringify(last.content)).toContain('turn limit');
  });

  it('ends with max_tokens when the answer is cut off, without running a half-written call', async () => {
    const spans: Span[] = [];
    h = await startHarness([
      {
        content: [
          { type: 'text', text: 'Let me' },
          { type: 'tool_use', name: 'fixture_read', rawJson: '{"tag": "cut' },
        ],
        stop_reason: 'max_tokens',
      },
    ]);
    const events = await h.run({ tools: [timedTool('fixture_read', 1, spans, true)] });
    expect(doneOf(events)).toMatchObject({ reason: 'max_tokens', text: 'Let me' });
    expect(ofType(events, 'tool_call')).toHaveLength(0);
    expect(spans).toHaveLength(0);
  });
});
