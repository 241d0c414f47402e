// MCP: spawn → initialize → tools/list over stdio, DataStack vs a minimal server on the same SDK.
// Goal (issue 2): ≤ 1.5x.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compare, report } from './measure.mjs';

const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const minimal = fileURLToPath(new URL('./minimal-mcp-server.mjs', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);

async function listOnce(args) {
  const start = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const elapsed = performance.now() - start;
  if (tools.length === 0) throw new Error(`${args.join(' ')} listed no tools`);
  await client.close();
  return elapsed;
}

export async function mcpStartup() {
  const medians = await compare(
    {
      'minimal SDK server': () => listOnce([minimal]),
      'datastack mcp': () => listOnce([bin, 'mcp']),
    },
    { runs },
  );
  return report('MCP stdio: spawn → initialize → tools/list (median)', medians, 'minimal SDK server', {
    'datastack mcp': 1.5,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await mcpStartup();
