// Runs every benchmark and prints ratios against its peer. `npm run bench`.
// BENCH_RUNS=N sets the number of interleaved runs per case; BENCH_S3_MIB / BENCH_S3_RUNS size the
// S3 upload benchmark (512 MiB x 5 by default); BENCH_EDA_QUICK=1 runs the EDA benchmark on samples
// without ydata-profiling; BENCH_MLFLOW_QUICK=1 compares 200 MLflow runs instead of 1,000;
// BENCH_PIPELINE_QUICK=1 runs the pipeline benchmark for 5 rounds.
import { coldStart } from './cold-start.mjs';
import { mcpStartup } from './mcp-startup.mjs';
import { contextCost } from './context-cost.mjs';
import { s3Upload } from './s3-upload.mjs';
import { edaReport } from './eda-report.mjs';
import { experimentCompare } from './experiment-compare.mjs';
import { pipelineOverhead } from './pipeline-overhead.mjs';

await coldStart();
await mcpStartup();
await contextCost();
await s3Upload();
await edaReport();
await experimentCompare();
await pipelineOverhead();
