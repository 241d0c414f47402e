// Context cost: tokens of the default MCP tools/list answer, counted with a real tokenizer
// (o200k_base). References: the median popular MCP server ≈ 2,600 tokens; Playwright ≈ 170/tool.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { getEncoding } from 'js-tiktoken';

const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));

export async function contextCost() {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], stderr: 'ignore' }));
  const { tools } = await client.listTools();
  await client.close();
  const encoder = getEncoding('o200k_base');
  const count = (value) => encoder.encode(JSON.stringify(value)).length;
  const total = count(tools);
  console.log(`\nContext cost of tools/list (o200k_base tokens): ${total} total, ${tools.length} tools, ${(total / tools.length).toFixed(0)} per tool`);
  console.log(`  vs median popular MCP server (≈2,600): ${(total / 2600).toFixed(2)}x; vs Playwright per tool (≈170): ${(total / tools.length / 170).toFixed(2)}x`);
  for (const tool of tools) {
    const schemas = count({ inputSchema: tool.inputSchema, outputSchema: tool.outputSchema });
    console.log(`  ${tool.name.padEnd(28)} ${String(count(tool)).padStart(5)}  (schemas ${schemas})`);
  }
  return { total, perTool: total / tools.length };
}

if (import.meta.url === `file://${process.argv[1]}`) await contextCost();
