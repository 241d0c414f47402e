/**
 * One run read in full for `mlflow_show_run` and `experiment show`: its summary, tags and artifact
 * tree, fetched side by side.
 */
import { z } from 'zod';
import type { MlflowClient } from './client.js';
import { toRecord } from './model.js';
import { listArtifacts } from './run-data.js';
import { RunSummary, toRunSummary } from './schemas.js';

export const Artifact = z.object({
  path: z.string().describe('Path inside the run'),
  is_dir: z.boolean().optional().describe('True for a folder'),
  size: z.number().optional().describe('Bytes (files only)'),
});

export const RunDetails = RunSummary.extend({
  artifact_uri: z.string().optional().describe('Root of the run’s artifacts'),
  tags: z.record(z.string(), z.string()).describe('Run tags'),
  artifacts: z.array(Artifact).describe('Artifact files and folders, walked into folders'),
  artifacts_truncated: z.boolean().describe('True when there are more artifacts than listed'),
});
export type RunDetails = z.infer<typeof RunDetails>;

export async function readRunDetails(
  client: MlflowClient,
  runId: string,
  options: { artifactLimit: number; signal?: AbortSignal | undefined },
): Promise<RunDetails> {
  // runs/get first: it says "not found" for an unknown id, where artifacts/list would fail vaguely.
  const run = await client.getRun(runId, options.signal);
  const listing = await listArtifacts(client, runId, {
    limit: options.artifactLimit,
    signal: options.signal,
  });
  return {
    ...toRunSummary(run),
    ...(run.info.artifact_uri ? { artifact_uri: run.info.artifact_uri } : {}),
    tags: toRecord(run.data.tags),
    artifacts: listing.files.map((f) => ({
      path: f.path,
      ...(f.is_dir ? { is_dir: true } : {}),
      ...(f.file_size !== undefined ? { size: Number(f.file_size) } : {}),
    })),
    artifacts_truncated: listing.truncated,
  };
}
