/**
 * Test-only tools that exercise what the registry's real tools may not: progress, cancellation,
 * a destructive call, a leaked secret, a crash. They go through the same createServer and
 * invokeTool as the real ones; each records what it saw so tests can assert on it.
 */
import { z } from 'zod';
import { defineTool } from '../../tools/core/types.js';

export const seen = { steps: 0, aborted: false, wiped: 0 };

export function resetSeen(): void {
  Object.assign(seen, { steps: 0, aborted: false, wiped: 0 });
}

export const progressTool = defineTool({
  name: 'test_count',
  title: 'Count',
  description: 'Counts to n, reporting progress.',
  toolset: 'test',
  input: z.object({ n: z.number().int().min(1).max(10).describe('How far to count') }),
  output: z.object({ counted: z.number().describe('The last number') }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    for (let i = 1; i <= input.n; i++) {
      ctx.progress({ done: i, total: input.n, message: `step ${i}` });
      seen.steps = i;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { counted: input.n };
  },
});

export const waitTool = defineTool({
  name: 'test_wait',
  title: 'Wait',
  description: 'Waits until cancelled.',
  toolset: 'test',
  input: z.object({}),
  output: z.object({ done: z.boolean().describe('Always true') }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(_input, ctx) {
    seen.steps = 1;
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    seen.aborted = ctx.signal.aborted;
    return { done: true };
  },
});

export const wipeTool = defineTool({
  name: 'test_wipe',
  title: 'Wipe',
  description: 'Deletes everything (pretend).',
  toolset: 'test',
  input: z.object({ what: z.string().describe('What to wipe') }),
  output: z.object({ wiped: z.string().describe('What was wiped') }),
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
  confirmSummary: (input) => `Wipe ${input.what} for good`,
  run(input) {
    seen.wiped += 1;
    return Promise.resolve({ wiped: input.what });
  },
});

export const echoSecretTool = defineTool({
  name: 'test_echo_secret',
  title: 'Echo secret',
  description: 'Returns the configured S3 secret (a leak the face must scrub).',
  toolset: 'test',
  input: z.object({}),
  output: z.object({
    value: z.string().describe('The secret'),
    nested: z.array(z.string()).describe('Again'),
  }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run(_input, ctx) {
    const secret = ctx.config.s3?.secret_access_key ?? '';
    return Promise.resolve({ value: `key=${secret}`, nested: [secret] });
  },
});

export const crashTool = defineTool({
  name: 'test_crash',
  title: 'Crash',
  description: 'Throws an unexpected error.',
  toolset: 'test',
  input: z.object({}),
  output: z.object({}),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run() {
    return Promise.reject(new TypeError('cannot read properties of undefined'));
  },
});

export const TEST_TOOLS = [progressTool, waitTool, wipeTool, echoSecretTool, crashTool];

/**
 * Toolsets the test workspace's `local` profile does not configure (no Nessie, Iceberg or Dremio
 * URL, no API key), so `datastack mcp` does not offer them by default.
 */
export const NOT_CONFIGURED_TOOLSETS: ReadonlySet<string> = new Set(['nessie', 'iceberg', 'dremio', 'ai', 'airflow']);
