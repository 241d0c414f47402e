/**
 * The agent changes data on a branch (issue 3, item 5): the scripted fake model drives the real
 * nessie and iceberg tools against the real services (moto + Nessie from `datastack stack`).
 * A refused merge leaves main as it was; the working branch takes writes that name no branch.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../agent/events.js';
import { runAgent } from '../../agent/loop.js';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { selectTools } from '../../tools/index.js';
import { startFakeAnthropic, type FakeAnthropic, type ScriptStep } from '../fakes/anthropic-server.js';
import { openLake, unique, WEATHER_ROWS, type Lake } from '../iceberg/fixtures.js';
import { collect, ofType, toolResultsSent } from './harness.js';

let lake: Lake;
const tools = selectTools({ toolsets: ['nessie', 'iceberg'] });

beforeAll(async () => {
  lake = await openLake();
}, 600_000);
afterAll(() => lake?.cleanup());

/** One scripted turn per tool call, then a closing text. */
function script(calls: Array<{ name: string; input: Record<string, unknown> }>): ScriptStep[] {
  return [
    ...calls.map((call) => ({ content: [{ type: 'tool_use' as const, ...call }] })),
    { content: [{ type: 'text' as const, text: 'Done.' }] },
  ];
}

async function drive(
  fake: FakeAnthropic,
  ctx: ToolContext,
  maxTurns: number,
): Promise<{ events: AgentEvent[]; results: Array<{ content?: string; is_error?: boolean }> }> {
  const client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: fake.url, maxRetries: 0 });
  const events = await collect(
    runAgent({
      client,
      ctx,
      tools,
      system: 'test',
      model: 'claude-sonnet-4-5',
      maxTokens: 1024,
      maxTurns,
      prompt: 'go',
    }),
  );
  // Request n+1 carries the result of the call made in turn n.
  const results = fake.requests.slice(1).map((request) => toolResultsSent(request.body)[0] ?? {});
  return { events, results };
}

describe('the agent on a Nessie branch', () => {
  it('creates a branch, loads a table, shows the diff, and a refused merge leaves main unchanged', async () => {
    const branch = `agent/${unique()}`;
    const table = `${unique()}.weather`;
    const [namespace] = table.split('.');
    const calls = [
      { name: 'nessie_create_reference', input: { name: branch } },
      { name: 'iceberg_create_namespace', input: { namespace, ref: branch } },
      {
        name: 'iceberg_create_table',
        input: { table, dataset: 'data/seattle-weather.csv', load: true, ref: branch },
      },
      { name: 'nessie_diff', input: { to: branch } },
      { name: 'nessie_merge', input: { from: branch } },
    ];
    const fake = await startFakeAnthropic(script(calls));
    const asked: ConfirmRequest[] = [];
    const { ctx } = await lake.context(false);
    ctx.confirm = (request) => {
      asked.push(request);
      return Promise.resolve(false);
    };
    try {
      const { events, results } = await drive(fake, ctx, 10);
      expect(ofType(events, 'tool_call').map((e) => e.name)).toEqual(calls.map((c) => c.name));

      // The first four calls worked; the table and its rows are on the branch.
      expect(results.slice(0, 4).map((r) => r.is_error ?? false)).toEqual([false, false, false, false]);
      expect(await lake.nessie.keys(branch)).toContain(table);
      expect(results[2]?.content).toContain(String(WEATHER_ROWS).replace(/\B(?=(\d{3})+$)/g, ','));
      // The diff the model saw names the new table.
      expect(results[3]?.content).toContain(table);

      // The merge asked first, with the change named, and was refused.
      expect(asked.map((a) => a.tool)).toEqual(['nessie_merge']);
      expect(asked[0]?.summary).toContain('main');
      expect(results[4]?.is_error).toBe(true);
      expect(results[4]?.content).toMatch(/declined/i);

      // Nothing of the branch reached main. (Main's hash may still move: other test files
      // share this Nessie and commit there.)
      expect(await lake.nessie.keys('main')).not.toContain(table);
    } finally {
      await fake.close();
    }
  }, 300_000);

  it('writes that name no branch go to the working branch until a confirmed merge', async () => {
    const workBranch = `agent/${unique()}`;
    const table = `${unique()}.weather`;
    const [namespace] = table.split('.');
    const calls = [
      { name: 'iceberg_create_namespace', input: { namespace } },
      { name: 'iceberg_create_table', input: { table, dataset: 'data/seattle-weather.csv' } },
    ];
    const fake = await startFakeAnthropic(script(calls));
    const { ctx, asked } = await lake.context(true);
    ctx.workBranch = workBranch;
    try {
      const { results } = await drive(fake, ctx, 5);
      expect(results.map((r) => r.is_error ?? false)).toEqual([false, false]);
      // The working branch was created and holds the table; main does not.
      expect(await lake.nessie.keys(workBranch)).toContain(table);
      expect(await lake.nessie.keys('main')).not.toContain(table);
      expect(asked).toEqual([]);

      fake.push(...script([{ name: 'nessie_merge', input: { from: workBranch } }]));
      const merged = await drive(fake, ctx, 5);
      expect(merged.results.at(-1)?.is_error ?? false).toBe(false);
      expect(asked.map((a) => a.tool)).toEqual(['nessie_merge']);
      expect(await lake.nessie.keys('main')).toContain(table);
    } finally {
      await fake.close();
    }
  }, 300_000);
});
