/**
 * ai_suggest through the real Anthropic SDK against the scripted fake Messages API
 * (test/fakes/anthropic-server.ts: no real Anthropic server can run here). We assert on the
 * request: the profile and the rule-based findings were sent, fenced as untrusted data, with the
 * prompt file as system prompt; and that the tool returns the scripted answer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { aiSuggest } from '../../tools/ai/suggest.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { configFor, contextFor } from '../helpers/workspace.js';
import { call, callError, makeEdaWorkspace, type EdaWorkspace, type FindingLike } from './fixtures.js';

const ANSWER = '## Risks\n- label_copy and label_code leak the label: drop them before any split.';

let ws: EdaWorkspace;
let fake: FakeAnthropic;
let ctx: ToolContext;

beforeAll(async () => {
  ws = await makeEdaWorkspace();
  fake = await startFakeAnthropic();
  const config = await configFor(ws.root, {
    ANTHROPIC_API_KEY: 'sk-ant-test-key',
    ANTHROPIC_BASE_URL: fake.url,
  });
  ctx = await contextFor(ws.root, { config });
});
afterAll(async () => {
  await ctx.clients.closeAll();
  await fake.close();
  ws.cleanup();
});

interface SuggestOutput {
  dataset: string;
  target?: string;
  task: string;
  suggestions: string;
  findings: FindingLike[];
  model: string;
  usage: { input_tokens: number; output_tokens: number };
}

const userText = (index: number): string => {
  const content = fake.requests[index]?.body.messages[0]?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
};

describe('ai_suggest', () => {
  let out: SuggestOutput;
  beforeAll(async () => {
    fake.push({
      content: [{ type: 'text', text: ANSWER }],
      usage: { input_tokens: 1234, output_tokens: 56 },
    });
    out = await call<SuggestOutput>(aiSuggest, { dataset: 'data/known.parquet', target: 'label' }, ctx);
  });

  it('returns the model answer with the rule-based findings', () => {
    expect(out.suggestions).toBe(ANSWER);
    expect(out).toMatchObject({
      dataset: 'data/known.parquet',
      target: 'label',
      task: 'classification',
      model: 'claude-sonnet-4-5',
    });
    expect(out.usage).toEqual({ input_tokens: 1234, output_tokens: 56 });
    expect(out.findings.filter((f) => f.kind === 'leakage').map((f) => f.columns[0])).toEqual(
      expect.arrayContaining(['label_copy', 'label_code', 'segment', 'score']),
    );
  });

  it('sent one request: the prompt file as system, the profile fenced as untrusted data', () => {
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.headers.authorization ?? request?.headers['x-api-key']).toContain('sk-ant-test-key');
    const body = request?.body;
    expect(body?.model).toBe('claude-sonnet-4-5');
    expect(body?.max_tokens).toBe(4096);
    expect(body?.tools).toBeUndefined();
    const prompt = readFileSync(new URL('../../prompts/eda-suggest.md', import.meta.url), 'utf8');
    expect(body?.system).toBe(prompt);

    const text = userText(0);
    const fence = /<(untrusted-data-[0-9a-f]{16})>\n([\s\S]*)\n<\/\1>/.exec(text);
    expect(fence).not.toBeNull();
    const inside = fence?.[2] ?? '';
    // The profile: every column with its statistics, the target's classes, the rule findings.
    expect(inside).toMatch(
      /^Dataset data\/known\.parquet \(parquet, [\d.]+ [KM]B\): 20,000 rows, 16 columns/,
    );
    for (const column of ['id', 'label_copy', 'segment', 'x1_dup', 'amount', 'day'])
      expect(inside).toContain(`- ${column} `);
    expect(inside).toContain('Classes: no 19,000, yes 1,000');
    expect(inside).toMatch(/\[critical\] leakage: label_copy is identical to the target label/);
    expect(inside).toMatch(/\[warning\] class_imbalance/);
    // Nothing from the file outside the fence.
    expect(text.replace(fence?.[0] ?? '', '')).not.toContain('label_copy');
  });

  it('fences the answer for the model that called the tool', () => {
    const text = outputText(aiSuggest, out as unknown as Record<string, unknown>);
    expect(text).toMatch(
      /^AI suggestions for data\/known\.parquet \(classification of label, claude-sonnet-4-5\):/,
    );
    expect(text).toMatch(/<untrusted-data-[0-9a-f]{16}>\n## Risks/);
  });

  it('passes a question on, outside the fence', async () => {
    fake.push({ content: [{ type: 'text', text: 'Use lags.' }] });
    const more = await call<SuggestOutput>(
      aiSuggest,
      { dataset: 'data/seattle-weather.csv', target: 'temp_max', question: 'which lags?' },
      ctx,
    );
    expect(more).toMatchObject({ suggestions: 'Use lags.', task: 'time_series' });
    expect(userText(1)).toMatch(/<\/untrusted-data-[0-9a-f]{16}>\n\nFocus on: which lags\?$/);
  });

  it('turns API failures into tool errors', async () => {
    fake.push({ httpError: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' } });
    const refused = await callError(aiSuggest, { dataset: 'data/penguins.json', target: 'Species' }, ctx);
    expect(refused.code).toBe('unauthorized');
    expect(refused.hint).toMatch(/generate eda/);
    expect(fake.remaining()).toBe(0);
  });
});
