/**
 * tools/call: one registry tool run through invokeTool, with the request's abort signal, progress
 * token and (when the client can) an elicitation prompt before destructive calls. Every failure,
 * unknown tools and invalid input included, is an `isError` result the model can read.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolRequest,
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ClientPool } from '../tools/core/clients.js';
import { scrubSecrets, type ResolvedConfig } from '../tools/core/config.js';
import { createToolContext } from '../tools/core/context.js';
import { ToolError } from '../tools/core/errors.js';
import { invokeTool, outputText } from '../tools/core/invoke.js';
import type { AnyTool, ConfirmGate, Logger, ProgressReporter } from '../tools/core/types.js';

export interface CallDeps {
  server: Server;
  /** The runnable tool for a listed name; undefined for a name this server does not offer. */
  resolveTool: (name: string) => Promise<AnyTool | undefined>;
  config: ResolvedConfig;
  readOnly: boolean;
  log: Logger;
  clients: ClientPool;
  /** Where table writes go when a call names no branch (the client is an agent too). */
  workBranch?: string;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A person may take a while to answer a confirmation; the SDK default (60 s) is too short. */
const CONFIRM_TIMEOUT_MS = 10 * 60_000;

export async function callTool(
  deps: CallDeps,
  params: CallToolRequest['params'],
  extra: Extra,
): Promise<CallToolResult> {
  const { config, log } = deps;
  const tool = await deps.resolveTool(params.name);
  if (!tool) {
    return errorResult(
      new ToolError('not_found', `Unknown tool "${params.name}"`, {
        hint: 'List the tools this server offers with tools/list',
      }),
      config.secrets,
    );
  }
  const confirm = elicitationGate(deps.server, extra, log);
  const ctx = createToolContext({
    config,
    clients: deps.clients,
    log,
    signal: extra.signal,
    progress: progressReporter(extra, log),
    ...(confirm ? { confirm } : {}),
    ...(deps.workBranch ? { workBranch: deps.workBranch } : {}),
  });
  log.debug(`mcp tools/call ${tool.name}`);
  // Without elicitation the MCP client's own approval (it sees destructiveHint) is the gate.
  const outcome = await invokeTool(tool, params.arguments ?? {}, ctx, {
    readOnly: deps.readOnly,
    preApproved: !confirm,
  });
  if (!outcome.ok) {
    if (outcome.error.code === 'internal') log.error(`${tool.name}: ${outcome.error.message}`);
    return errorResult(outcome.error, config.secrets);
  }
  const output = scrubDeep(outcome.output, config.secrets);
  return {
    content: [{ type: 'text', text: scrubSecrets(outputText(tool, output), config.secrets) }],
    structuredContent: output,
  };
}

function errorResult(error: ToolError, secrets: readonly string[]): CallToolResult {
  // The invalid-input hint points at CLI help; an MCP client has the inputSchema instead.
  const shown =
    error.code === 'invalid_input'
      ? new ToolError(error.code, error.message, {
          hint: "Check the arguments against the tool's inputSchema",
        })
      : error;
  return {
    isError: true,
    content: [{ type: 'text', text: scrubSecrets(`[${shown.code}] ${shown.toLine()}`, secrets) }],
  };
}

/** notifications/progress for requests that carry a progress token; values only ever increase. */
function progressReporter(extra: Extra, log: Logger): ProgressReporter {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  let last = -Infinity;
  return ({ done, total, message }) => {
    if (!(done > last)) return;
    last = done;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress: done,
          ...(total !== undefined ? { total } : {}),
          ...(message ? { message } : {}),
        },
      })
      .catch((error: unknown) => log.debug(`mcp progress: ${String(error)}`));
  };
}

/** Asks the user through the client (form elicitation) when the client declared it can. */
function elicitationGate(server: Server, extra: Extra, log: Logger): ConfirmGate | undefined {
  if (!server.getClientCapabilities()?.elicitation?.form) return undefined;
  return async ({ summary }) => {
    try {
      const answer = await server.elicitInput(
        {
          mode: 'form',
          message: `${summary}. Run it?`,
          requestedSchema: {
            type: 'object',
            properties: {
              confirm: { type: 'boolean', title: 'Run it', description: summary, default: false },
            },
            required: ['confirm'],
          },
        },
        { relatedRequestId: extra.requestId, signal: extra.signal, timeout: CONFIRM_TIMEOUT_MS },
      );
      return answer.action === 'accept' && answer.content?.confirm === true;
    } catch (error) {
      log.warn(`confirmation through the MCP client failed, treating it as "no": ${String(error)}`);
      return false;
    }
  };
}

/** Scrubs secret values from every string of a JSON-like result (only when there are secrets). */
function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, secrets)) as T;
  if (value && typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, scrubDeep(v, secrets)])) as T;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
