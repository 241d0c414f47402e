/**
 * Streamable HTTP: the SDK's real client against startHttpServer in-process (sessions, elicitation
 * across requests, DNS-rebinding refusal), and `datastack mcp --http` as a child process.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type HttpHandle } from '../../mcp-server/http.js';
import { ALL_TOOLS } from '../../tools/index.js';
import { configFor, makeWorkspace, silentLogger, type TempWorkspace } from '../helpers/workspace.js';
import { NOT_CONFIGURED_TOOLSETS, resetSeen, seen, wipeTool } from './fixtures.js';
import { childEnv, firstText, mcpCommand, newClient, validateOutput } from './harness.js';

let ws: TempWorkspace;
let handle: HttpHandle | undefined;

beforeEach(() => {
  resetSeen();
  ws = makeWorkspace({ 'sales.parquet': 'PAR1' });
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  ws.cleanup();
});

async function start(readOnly = false) {
  handle = await startHttpServer(
    { config: await configFor(ws.root), tools: [...ALL_TOOLS, wipeTool], readOnly, logger: silentLogger },
    { port: 0 },
  );
  return handle;
}

describe('startHttpServer', () => {
  it('serves tools over a stateful session on 127.0.0.1', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const transport = new StreamableHTTPClientTransport(new URL(url));
    const client = newClient();
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'test_wipe')?.annotations?.destructiveHint).toBe(true);
    const result = await client.callTool({ name: 'query_list_datasets', arguments: {} });
    expect(result.structuredContent).toEqual({
      datasets: [{ path: 'sales.parquet', format: 'parquet', bytes: 4 }],
      total: 1,
    });
    expect(
      validateOutput(
        tools.find((t) => t.name === 'query_list_datasets'),
        result.structuredContent,
      ),
    ).toEqual({ valid: true });
    await transport.terminateSession();
    await client.close();
  });

  it('asks through elicitation across requests of one session before a destructive call', async () => {
    const { url } = await start();
    const client = newClient({ capabilities: { elicitation: { form: {} } } });
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, () => {
      asked += 1;
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const result = await client.callTool({ name: 'test_wipe', arguments: { what: 'scratch' } });
    expect(asked).toBe(1);
    expect(result.structuredContent).toEqual({ wiped: 'scratch' });
    expect(seen.wiped).toBe(1);
    await client.close();
  });

  it('refuses changing tools in read-only mode', async () => {
    const { url } = await start(true);
    const client = newClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('test_wipe');
    const result = await client.callTool({ name: 'test_wipe', arguments: { what: 'x' } });
    expect(firstText(result)).toContain('[read_only]');
    expect(seen.wiped).toBe(0);
    await client.close();
  });

  it('refuses foreign Host and Origin headers (DNS rebinding), other paths and session-less calls', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    });
    expect((await post(url, init, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await post(url, init, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(url, init, { origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await post(url.replace('/mcp', '/other'), init)).status).toBe(404);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect((await post(url, list)).status).toBe(400);
    expect((await post(url, list, { 'mcp-session-id': 'no-such-session' })).status).toBe(404);
  });
});

describe('datastack mcp --http', () => {
  it('prints its URL on stderr, serves, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, mcpCommand(['--http', '--port', String(port)]), {
      cwd: ws.root,
      env: childEnv(ws.root),
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line; stderr: ${stderr}`)), 15_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(url).toBe(`http://127.0.0.1:${port}/mcp`);

    const client = newClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.length).toBe(
      ALL_TOOLS.filter((t) => !NOT_CONFIGURED_TOOLSETS.has(t.toolset)).length,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopped');
    expect(stdout).toBe('');
    await client.close().catch(() => {});
  });
});

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
