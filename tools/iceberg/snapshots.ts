/** Iceberg snapshots as the tools return them: ids as text, the summary's useful counts as numbers. */
import { z } from 'zod';
import { formatCount } from '../query/format.js';
import { idText } from './json.js';
import type { Snapshot } from './rest-client.js';

export const SnapshotOut = z.object({
  snapshot_id: z.string().describe('Iceberg snapshot id (a 64-bit integer, as text)'),
  parent_id: z.string().optional().describe('The snapshot before it on this branch'),
  timestamp: z.string().describe('When it was committed, ISO 8601 UTC'),
  operation: z.string().optional().describe('append, overwrite, delete or replace'),
  added_records: z.number().optional().describe('Rows this snapshot added'),
  deleted_records: z.number().optional().describe('Rows this snapshot removed'),
  added_files: z.number().optional().describe('Data files this snapshot added'),
  total_records: z.number().optional().describe('Rows in the table as of this snapshot'),
  commit: z.string().optional().describe('Nessie commit hash that recorded this snapshot'),
  committed_at: z
    .string()
    .optional()
    .describe('When Nessie recorded it (what as_of compares with on Nessie)'),
});

export type SnapshotSummary = z.infer<typeof SnapshotOut>;

function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function snapshotOut(
  snapshot: Snapshot,
  extra: { commit?: string; committedAt?: string; parent?: string } = {},
): SnapshotSummary {
  const summary = snapshot.summary ?? {};
  const parent = extra.parent ?? idText(snapshot['parent-snapshot-id']);
  const out: SnapshotSummary = {
    snapshot_id: String(snapshot['snapshot-id']),
    timestamp: new Date(snapshot['timestamp-ms']).toISOString(),
  };
  if (parent) out.parent_id = parent;
  if (summary.operation) out.operation = summary.operation;
  const fields: Array<[keyof SnapshotSummary, string]> = [
    ['added_records', 'added-records'],
    ['deleted_records', 'deleted-records'],
    ['added_files', 'added-data-files'],
    ['total_records', 'total-records'],
  ];
  for (const [key, name] of fields) {
    const n = count(summary[name]);
    if (n !== undefined) (out as Record<string, unknown>)[key] = n;
  }
  if (extra.commit) out.commit = extra.commit;
  if (extra.committedAt) out.committed_at = extra.committedAt;
  return out;
}

/** `3098703954535747272 2026-12-04T20:17:07Z append +1,461 rows (2,922 total) @e256dfda` */
export function snapshotLine(s: SnapshotSummary): string {
  const parts = [s.snapshot_id, s.timestamp.replace(/\.\d+Z$/, 'Z')];
  if (s.operation) parts.push(s.operation);
  if (s.added_records !== undefined) parts.push(`+${formatCount(s.added_records)} rows`);
  if (s.deleted_records) parts.push(`-${formatCount(s.deleted_records)} rows`);
  if (s.total_records !== undefined) parts.push(`(${formatCount(s.total_records)} total)`);
  if (s.commit) parts.push(`@${s.commit.slice(0, 12)}`);
  return parts.join(' ');
}
