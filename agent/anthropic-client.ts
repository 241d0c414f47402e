/**
 * The Anthropic client for chat and ask, built from the resolved config (ANTHROPIC_API_KEY and
 * ANTHROPIC_BASE_URL arrive through it). The SDK costs ~160 ms to import, so it is loaded here,
 * on demand, and never on the start-up path of the other commands.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ResolvedConfig } from '../tools/core/config.js';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface ClientOptions {
  /** SDK retries of 429/5xx/overloaded answers (its default is 2). */
  maxRetries?: number;
  timeoutMs?: number;
}

export function hasApiKey(config: ResolvedConfig): boolean {
  return Boolean(config.anthropic.api_key?.trim());
}

/** What `chat` and `ask` print when no key is configured: the ways to work without one. */
export function missingKeyMessage(command: 'chat' | 'ask'): string {
  return [
    `error: \`datastack ${command}\` needs an Anthropic API key, and none is configured.`,
    '  Set ANTHROPIC_API_KEY (or anthropic.api_key in datastack.yaml), or work without one:',
    '  - drive DataStack from Claude Code over MCP:  claude mcp add datastack -- datastack mcp',
    '  - use the plain subcommands, no AI needed:     datastack tools list',
  ].join('\n');
}

export async function createAnthropicClient(
  config: ResolvedConfig,
  options: ClientOptions = {},
): Promise<Anthropic> {
  const apiKey = config.anthropic.api_key?.trim();
  if (!apiKey) throw new Error(missingKeyMessage('ask'));
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  // Everything explicit: the SDK would otherwise read process.env on its own.
  return new AnthropicClient({
    apiKey,
    baseURL: config.anthropic.base_url || DEFAULT_BASE_URL,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
}
