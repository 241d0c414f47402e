/**
 * `datastack mcp --http`: the server over Streamable HTTP at `http://HOST:PORT/mcp`.
 *
 * Stateful sessions, one MCP `Server` per session: a destructive call's elicitation answer and a
 * `notifications/cancelled` arrive as later POSTs and must reach the server that holds the pending
 * call, which a stateless server (a fresh one per request) cannot do. The DuckDB connection and the
 * other clients are shared by all sessions and closed once at shutdown.
 *
 * Bound to 127.0.0.1 unless told otherwise. On a loopback host the SDK's DNS-rebinding protection
 * is on: a Host or Origin header other than this server's own loopback address is refused (403), so
 * a web page cannot drive the tools through the user's browser.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { ClientPool } from '../tools/core/clients.js';
import { createStderrLogger } from '../tools/core/context.js';
import { createServer, type ServerDeps } from './server.js';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 3333;
export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface HttpOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface HttpHandle {
  /** The endpoint clients connect to, with the port actually bound. */
  url: string;
  /** Ends every session, stops listening and closes the shared clients. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  cleanup: () => Promise<void>;
}

export async function startHttpServer(deps: ServerDeps, options: HttpOptions = {}): Promise<HttpHandle> {
  const host = options.host ?? DEFAULT_HTTP_HOST;
  const log = deps.logger ?? createStderrLogger(deps.config.secrets);
  const clients = deps.clients ?? new ClientPool();
  const sessionDeps: ServerDeps = { ...deps, logger: log, clients };
  const sessions = new Map<string, Session>();
  let guard: ReturnType<typeof rebindingGuard> = { enableDnsRebindingProtection: false };

  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const { server, cleanup } = createServer(sessionDeps);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, cleanup }),
      ...guard,
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    // Refused (bad Host, bad request): no session was made, so nothing else will close it.
    if (!transport.sessionId || !sessions.has(transport.sessionId)) await cleanup();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== MCP_PATH) return sendError(res, 404, -32601, `Not found: the MCP endpoint is ${MCP_PATH}`);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendError(res, 404, -32001, 'Session not found: initialize a new one');
      return session.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST')
      return sendError(res, 400, -32000, 'Bad Request: no session id (mcp-session-id)');
    const body = await readJson(req);
    if (body === undefined)
      return sendError(res, 400, -32700, 'Parse error: the body is not JSON, or is over 4 MB');
    const initializes = Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body);
    if (!initializes)
      return sendError(res, 400, -32000, 'Bad Request: send initialize first, without a session id');
    return openSession(req, res, body);
  };

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`mcp http: ${String(error)}`);
      if (!res.headersSent) sendError(res, 500, -32603, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? DEFAULT_HTTP_PORT, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  guard = rebindingGuard(host, port);
  if (!guard.enableDnsRebindingProtection) {
    log.warn(`listening on ${host}, beyond this machine: the MCP endpoint has no authentication`);
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((session) => session.cleanup()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      if (!deps.clients) await clients.closeAll();
    })());
  return { url: `http://${urlHost(host)}:${port}${MCP_PATH}`, close };
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly; resolves to the exit code. */
export async function serveHttp(deps: ServerDeps, options: HttpOptions = {}): Promise<number> {
  const handle = await startHttpServer(deps, options);
  process.stderr.write(`DataStack MCP server (Streamable HTTP) listening on ${handle.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  process.stderr.write('DataStack MCP server stopped\n');
  return 0;
}

/** The SDK's Host/Origin allow-lists for a loopback bind; off for other hosts, named by the user. */
function rebindingGuard(host: string, port: number) {
  if (!LOOPBACK.has(host)) return { enableDnsRebindingProtection: false } as const;
  const hosts = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`);
  return {
    enableDnsRebindingProtection: true,
    allowedHosts: hosts,
    allowedOrigins: hosts.map((h) => `http://${h}`),
  } as const;
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The parsed JSON body, or undefined when it is not JSON or too large. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
