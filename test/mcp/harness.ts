/** Connects a real MCP Client to DataStack's server: in-process, over stdio of the built bin, or HTTP. */
import { existsSync } from 'node:fs';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import { createServer, type ServerDeps } from '../../mcp-server/server.js';
import { BIN } from '../helpers/run-cli.js';
import { configFor, silentLogger } from '../helpers/workspace.js';

export interface Connected {
  client: Client;
  close(): Promise<void>;
}

export type InProcessDeps = Partial<ServerDeps> &
  Pick<ServerDeps, 'tools'> & { root: string; env?: NodeJS.ProcessEnv };

export async function connectInMemory(
  deps: InProcessDeps,
  clientOptions: ClientOptions = {},
): Promise<Connected> {
  const { root, env, ...rest } = deps;
  const config = rest.config ?? (await configFor(root, env));
  const { server, cleanup } = createServer({ logger: silentLogger, ...rest, config });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = newClient(clientOptions);
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    close: async () => {
      await client.close();
      await cleanup();
    },
  };
}

export function newClient(options: ClientOptions = {}): Client {
  return new Client({ name: 'datastack-test', version: '1.0.0' }, options);
}

/** Validates structured content against a listed output schema with the SDK's own Ajv validator. */
export function validateOutput(
  tool: Tool | undefined,
  value: unknown,
): { valid: boolean; errorMessage?: string | undefined } {
  if (!tool?.outputSchema) return { valid: false, errorMessage: 'the tool has no output schema' };
  const { valid, errorMessage } = new AjvJsonSchemaValidator().getValidator(
    tool.outputSchema as JsonSchemaType,
  )(value);
  return valid ? { valid } : { valid, errorMessage };
}

/** The text of the first content block of a tool result. */
export function firstText(result: unknown): string {
  const block = (
    (result as { content?: unknown }).content as Array<{ type: string; text?: string }> | undefined
  )?.[0];
  return block?.type === 'text' ? (block.text ?? '') : '';
}

/** argv (after `node`) that starts `datastack mcp …` from the built bin. */
export function mcpCommand(args: string[] = []): string[] {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  return [BIN, 'mcp', ...args];
}

/** A clean child environment: no user config, no API key, nothing from the developer's shell. */
export function childEnv(root: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: root, XDG_CONFIG_HOME: '/nonexistent', ...extra };
}
