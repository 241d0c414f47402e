/**
 * `datastack mcp`: the server over stdin/stdout. stdout carries JSON-RPC and nothing else, so
 * console output from any library is sent to stderr before the transport starts. Only the SDK's
 * server core and stdio transport are imported here: start-up time is what a client waits for.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer, type ServerDeps } from './server.js';

/** Serves until the client closes stdin or a SIGINT/SIGTERM arrives; resolves to the exit code. */
export async function serveStdio(deps: ServerDeps): Promise<number> {
  keepConsoleOffStdout();
  const { server, cleanup } = createServer(deps);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  const stop = () => void transport.close();
  process.stdin.once('end', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.connect(transport);
  await closed;
  process.stdin.off('end', stop);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await cleanup();
  return 0;
}

/** Routes console.log/info/debug (and friends) to stderr: a stray print would corrupt the protocol. */
function keepConsoleOffStdout(): void {
  /* eslint-disable no-console -- redirecting console is the point: stdout belongs to JSON-RPC */
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.dir = toStderr;
  console.table = toStderr;
  /* eslint-enable no-console */
}
