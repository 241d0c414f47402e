/** Session JSONL files, history repair, and resuming a saved conversation into runAgent. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { repairHistory, requestMessages } from '../../agent/history.js';
import { newSessionId, SessionStore } from '../../agent/session-store.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { doneOf, startHarness, type Harness } from './harness.js';

let ws: TempWorkspace | undefined;
let h: Harness | undefined;
afterEach(async () => {
  ws?.cleanup();
  ws = undefined;
  await h?.close();
  h = undefined;
});

const usage = {
  input_tokens: 100,
  output_tokens: 20,
  cache_creation_input_tokens: 10,
  cache_read_input_tokens: 5,
};

describe('SessionStore', () => {
  it('writes meta, messages, usage and done lines under .datastack/sessions and loads them back', () => {
    ws = makeWorkspace();
    const store = new SessionStore(ws.root, ['sk-live-secret-value']);
    const session = store.create({ model: 'claude-sonnet-4-5', face: 'chat', profile: 'local' });
    expect(session.path).toBe(`${ws.root}/.datastack/sessions/${session.id}.jsonl`);

    session.record({ type: 'message', message: { role: 'user', content: 'my key is sk-live-secret-value' } });
    session.record({ type: 'turn', turn: 1 });
    session.record({ type: 'text', text: 'ignored' });
    session.record({
      type: 'message',
      message: { role: 'assistant', content: [{ type: 'text', text: 'noted' }] },
    });
    session.record({
      type: 'usage',
      model: 'claude-sonnet-4-5',
      turn: { ...usage, cost_usd: 0.001 },
      total: { ...usage, cost_usd: 0.001 },
    });
    session.record({
      type: 'usage',
      model: 'claude-sonnet-4-5',
      turn: { ...usage, cost_usd: 0.002 },
      total: { ...usage, cost_usd: 0.003 },
    });
    session.record({
      type: 'done',
      reason: 'end_turn',
      text: 'noted',
      turns: 1,
      usage: { ...usage, cost_usd: 0.003 },
    });

    const lines = readFileSync(session.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['meta', 'message', 'message', 'usage', 'usage', 'done']);
    expect(readFileSync(session.path, 'utf8')).not.toContain('sk-live-secret-value');

    const loaded = store.load(session.id);
    expect(loaded.meta).toMatchObject({ id: session.id, model: 'claude-sonnet-4-5', face: 'chat' });
    expect(loaded.messages).toEqual([
      { role: 'user', content: 'my key is ***' },
      { role: 'assistant', content: [{ type: 'text', text: 'noted' }] },
    ]);
    expect(loaded.usage).toMatchObject({
      input_tokens: 200,
      output_tokens: 40,
      cache_creation_input_tokens: 20,
      cache_read_input_tokens: 10,
    });
    expect(loaded.usage.cost_usd).toBeCloseTo(0.003, 12);
    expect(loaded.runs).toBe(1);
  });

  it('makes ids that sort by time, finds the latest, and refuses ids that are paths', () => {
    const a = newSessionId(new Date('2025-01-02T03:04:05.006Z'));
    const b = newSessionId(new Date('2025-01-02T03:04:05.007Z'));
    const c = newSessionId(new Date('2025-11-30T00:00:00.000Z'));
    expect(a).toMatch(/^20250102-030405-006-[0-9a-f]{6}$/);
    expect([c, b, a].sort()).toEqual([a, b, c]);

    ws = makeWorkspace();
    const store = new SessionStore(ws.root);
    expect(store.latest()).toBeUndefined();
    const first = store.create(
      { model: 'm', face: 'ask', profile: 'local' },
      new Date('2025-01-01T00:00:00Z'),
    );
    const second = store.create(
      { model: 'm', face: 'ask', profile: 'local' },
      new Date('2025-01-02T00:00:00Z'),
    );
    expect(store.list()).toEqual([first.id, second.id]);
    expect(store.latest()).toBe(second.id);
    expect(() => store.load('../../etc/passwd')).toThrow(/not a session id/);
    expect(() => store.load('20990101-000000-000-abcdef')).toThrow(/No session/);
  });
});

describe('history repair', () => {
  it('gives a dangling tool call a result and merges consecutive user messages, results first', () => {
    const history: MessageParam[] = [
      { role: 'user', content: 'list' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'query_list_datasets', input: {} }],
      },
      { role: 'user', content: 'never mind, hello' },
    ];
    expect(repairHistory(history)).toEqual([
      { role: 'user', content: 'list' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'query_list_datasets', input: {} }],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            is_error: true,
            content: 'Not run: the session was interrupted.',
          },
          { type: 'text', text: 'never mind, hello' },
        ],
      },
    ]);
    // The stored history itself is not changed by building a request.
    const copy = structuredClone(history);
    requestMessages(history);
    expect(history).toEqual(copy);
  });
});

describe('resume', () => {
  it('sends the saved conversation, repaired, before the new prompt', async () => {
    h = await startHarness([{ content: [{ type: 'text', text: 'welcome back' }] }]);
    const store = new SessionStore(h.workspace.root);
    const saved = store.create({ model: 'claude-sonnet-4-5', face: 'chat', profile: 'local' });
    saved.append({ type: 'message', message: { role: 'user', content: 'first question' } });
    saved.append({
      type: 'message',
      message: { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
    });
    saved.append({ type: 'message', message: { role: 'user', content: 'second question' } });
    saved.append({
      type: 'message',
      message: {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'tx', name: 'query_list_datasets', input: {} }],
      },
    });

    const loaded = store.load(store.latest()!);
    const events = await h.run({ tools: [], messages: loaded.messages, prompt: 'third question' });
    expect(doneOf(events).reason).toBe('end_turn');
    const sent = h.fake.requests[0]!.body.messages;
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(sent[1]!.content).toEqual([{ type: 'text', text: 'first answer' }]);
    const last = sent[4]!.content as Array<{ type: string; tool_use_id?: string; text?: string }>;
    expect(last.map((b) => b.type)).toEqual(['tool_result', 'text']);
    expect(last[0]!.tool_use_id).toBe('tx');
    expect(last[1]!.text).toBe('third question');
  });
});
