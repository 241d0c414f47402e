/**
 * The MCP face: the registry's tools and the prompts/ guides, served by one MCP `Server`.
 *
 * Built on the low-level `Server`, not `McpServer`: McpServer wants zod shapes, validates input
 * itself (a second parse beside invokeTool's) and makes its own JSON Schema from them, and it loads
 * more modules at start-up. With `Server` the schemas go out exactly as tools/core/json-schema.ts
 * makes them for every face, and invokeTool stays the one place that validates and applies policy.
 */
import { randomBytes } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { listGuides, loadPrompt } from '../agent/prompts.js';
import { ClientPool } from '../tools/core/clients.js';
import type { ResolvedConfig } from '../tools/core/config.js';
import { agentWorkBranch, createStderrLogger } from '../tools/core/context.js';
import { inputJsonSchema, outputJsonSchema } from '../tools/core/json-schema.js';
import type { AnyTool, Logger } from '../tools/core/types.js';
import type { ToolManifestEntry } from '../tools/manifest.js';
import { callTool } from './call-tool.js';

export const SERVER_NAME = 'datastack';

export interface ServerDeps {
  config: ResolvedConfig;
  /**
   * The tools on offer (already narrowed to the chosen toolsets): the registry's, or the build's
   * manifest entries, which list without loading any tool module (see `loadTool`).
   */
  tools: readonly ListedTool[];
  /** Loads a listed tool to run it; needed when `tools` are manifest entries. */
  loadTool?: (name: string) => Promise<AnyTool | undefined>;
  /** Hide every tool that is not read-only, and refuse it if called anyway. */
  readOnly?: boolean;
  /** stderr, secrets scrubbed; never stdout, which belongs to the protocol. */
  logger?: Logger;
  /** Shared clients (one DuckDB per process). When absent the server owns a pool and closes it. */
  clients?: ClientPool;
  version?: string;
  /** Server instructions; defaults to prompts/mcp-instructions.md plus the active options. */
  instructions?: string;
}

export interface CreatedServer {
  server: Server;
  /** Closes the connection and, when the server owns them, the clients. */
  cleanup: () => Promise<void>;
}

export function createServer(deps: ServerDeps): CreatedServer {
  const readOnly = deps.readOnly ?? false;
  const log = deps.logger ?? createStderrLogger(deps.config.secrets);
  const ownsClients = !deps.clients;
  const clients = deps.clients ?? new ClientPool();
  const offered = readOnly ? deps.tools.filter((tool) => tool.annotations.readOnly) : [...deps.tools];
  // Read-only refusal needs the hidden tools too: calling one says "read-only", not "unknown".
  const callable = new Map(deps.tools.map((tool) => [tool.name, tool]));
  const resolveTool = async (name: string): Promise<AnyTool | undefined> => {
    const listed = callable.get(name);
    if (!listed) return undefined;
    return isRunnable(listed) ? listed : deps.loadTool?.(name);
  };

  const server = new Server(
    { name: SERVER_NAME, title: 'DataStack', version: deps.version ?? '0.0.0' },
    {
      capabilities: { tools: {}, prompts: {} },
      instructions: deps.instructions ?? defaultInstructions(deps.tools, readOnly),
    },
  );

  let listed: Tool[] | undefined;
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: (listed ??= offered.map(describeTool)) }));

  // An MCP client is an agent: its table writes wait on a branch of their own for a person to merge.
  const workBranch = agentWorkBranch(
    deps.config,
    `mcp-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`,
  );
  const callDeps = {
    server,
    resolveTool,
    config: deps.config,
    readOnly,
    log,
    clients,
    ...(workBranch ? { workBranch } : {}),
  };
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(callDeps, request.params, extra),
  );

  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: listGuides().map(({ name, title, description }) => ({ name, title, description })),
  }));

  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const guide = listGuides().find((g) => g.name === request.params.name);
    if (!guide) {
      const known = listGuides()
        .map((g) => g.name)
        .join(', ');
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown prompt "${request.params.name}". Known prompts: ${known}`,
      );
    }
    return {
      description: guide.description,
      messages: [{ role: 'user', content: { type: 'text', text: loadPrompt(`guides/${guide.name}`) } }],
    };
  });

  server.onerror = (error) => log.warn(`mcp: ${error.message}`);

  let closed = false;
  const cleanup = async () => {
    if (closed) return;
    closed = true;
    await server.close().catch((error: unknown) => log.debug(`mcp close: ${String(error)}`));
    if (ownsClients) await clients.closeAll();
  };
  return { server, cleanup };
}

export type ListedTool = AnyTool | ToolManifestEntry;

function isRunnable(tool: ListedTool): tool is AnyTool {
  return 'run' in tool;
}

/** A tool as MCP lists it: schemas from the manifest, or from the shared zod → JSON Schema cache. */
export function describeTool(tool: ListedTool): Tool {
  const { readOnly, destructive, idempotent, openWorld } = tool.annotations;
  const runnable = isRunnable(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: (runnable ? inputJsonSchema(tool) : tool.inputSchema) as Tool['inputSchema'],
    outputSchema: (runnable ? outputJsonSchema(tool) : tool.outputSchema) as NonNullable<
      Tool['outputSchema']
    >,
    annotations: {
      title: tool.title,
      readOnlyHint: readOnly,
      destructiveHint: destructive,
      idempotentHint: idempotent,
      openWorldHint: openWorld,
    },
  };
}

function defaultInstructions(tools: readonly ListedTool[], readOnly: boolean): string {
  const toolsets = [...new Set(tools.map((tool) => tool.toolset))].join(', ');
  const mode = readOnly ? ' Read-only mode is on: tools that change anything are hidden and refused.' : '';
  return `${loadPrompt('mcp-instructions').trim()}\n\nToolsets offered here: ${toolsets || 'none'}.${mode}\n`;
}
