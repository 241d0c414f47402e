// Runs every benchmark and prints ratios against its peer. `npm run bench`.
// BENCH_RUNS=N sets the number of interleaved runs per case.
import { coldStart } from './cold-start.mjs';
import { mcpStartup } from './mcp-startup.mjs';
import { contextCost } from './context-cost.mjs';

await coldStart();
await mcpStartup();
await contextCost();
