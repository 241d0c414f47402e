/**
 * The work behind nessie_merge: read both heads, preview with Nessie's dry run, then merge pinned
 * at the previewed hashes. A target with no commits yet (a fresh in-memory Nessie's `main`) is a
 * special case: Nessie 0.99 cannot find a merge base there ("No common ancestor", 404), so the
 * target is fast-forwarded to the source commit instead, pinned at its empty head.
 */
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { nessieClient, refPath } from './client.js';
import { formatKey, type ApiKey, type ApiMergeResponse, type ApiReference } from './model.js';

const Side = z.object({ name: z.string().describe('Reference'), hash: z.string().describe('Commit') });

export const MergeOutput = z.object({
  status: z
    .enum(['merged', 'would_merge', 'conflict', 'nothing_to_merge'])
    .describe('merged; would_merge (dry run, no conflicts); conflict (nothing merged); nothing_to_merge'),
  from: Side.describe('Source and the commit merged'),
  into: Side.describe('Target and the head the merge was based on'),
  result_hash: z.string().optional().describe('Head of the target after the merge'),
  fast_forward: z
    .boolean()
    .optional()
    .describe('True when the target had no commits and was moved to the source commit'),
  changes: z.array(z.string()).describe('Keys the merge changes (or would) on the target'),
  conflicts: z
    .array(
      z.object({
        key: z.string().describe('Content key in conflict'),
        type: z.string().describe('Nessie conflict type, e.g. VALUE_DIFFERS, KEY_EXISTS'),
        message: z.string().optional().describe("Nessie's explanation"),
      }),
    )
    .describe('Keys changed on both sides in ways that cannot be merged'),
});
export type MergeOutput = z.infer<typeof MergeOutput>;

export interface MergeRequest {
  from: string;
  into?: string | undefined;
  from_hash?: string | undefined;
  expected_hash?: string | undefined;
  message?: string | undefined;
}

export interface MergePlan {
  from: { name: string; hash: string };
  into: { name: string; hash: string };
  fastForward: boolean;
  preview: MergeOutput;
}

export async function planMerge(request: MergeRequest, ctx: ToolContext): Promise<MergePlan> {
  const nessie = await nessieClient(ctx);
  const intoName = request.into ?? ctx.config.nessie?.default_branch ?? 'main';
  const [source, target, config] = await Promise.all([
    nessie.getReference(request.from, ctx.signal),
    nessie.getReference(intoName, ctx.signal),
    nessie.get<{ noAncestorHash?: string }>('config', { signal: ctx.signal }),
  ]);
  if (target.type !== 'BRANCH')
    throw new ToolError('invalid_input', `\`${intoName}\` is a tag: merge into a branch`);
  const from = { name: request.from, hash: request.from_hash ?? source.hash ?? '' };
  const into = { name: intoName, hash: request.expected_hash ?? target.hash ?? '' };

  if (into.hash === config.noAncestorHash) {
    const diff = await nessie.pages<{ key: ApiKey }>(
      `trees/${refPath(into.name, into.hash)}/diff/${refPath(from.name, from.hash)}`,
      'diffs',
      { limit: 10_000, signal: ctx.signal },
    );
    const changes = diff.items.map((entry) => formatKey(entry.key));
    const status = changes.length > 0 ? 'would_merge' : 'nothing_to_merge';
    return { from, into, fastForward: true, preview: { status, from, into, changes, conflicts: [] } };
  }

  const response = await postMerge(ctx, request, from, into, true);
  if (response.wasApplied) {
    // The server ignored the dry-run flag: say so loudly rather than pretend nothing changed.
    throw new ToolError(
      'internal',
      `Nessie applied a merge into \`${intoName}\` that was sent as a dry run`,
      {
        hint: 'This Nessie version reads the dry-run flag differently: check the target with nessie_log',
      },
    );
  }
  return { from, into, fastForward: false, preview: report(response, from, into, true) };
}

export async function applyMerge(
  request: MergeRequest,
  plan: MergePlan,
  ctx: ToolContext,
): Promise<MergeOutput> {
  const { from, into } = plan;
  if (!plan.fastForward) return report(await postMerge(ctx, request, from, into, false), from, into, false);
  const nessie = await nessieClient(ctx);
  const done = await nessie.request<{ reference: ApiReference }>(
    'PUT',
    `trees/${refPath(into.name, into.hash)}`,
    {
      query: { type: 'BRANCH' },
      body: { type: 'BRANCH', name: from.name, hash: from.hash },
      signal: ctx.signal,
      pin: { name: into.name, hash: into.hash },
    },
  );
  const result = done.reference.hash ?? from.hash;
  return { ...plan.preview, status: 'merged', result_hash: result, fast_forward: true };
}

/** POST …/history/merge. Nessie 0.99 reads `isDryRun`/`isReturnConflictAsResult`; its docs say `dryRun`: send both. */
async function postMerge(
  ctx: ToolContext,
  request: MergeRequest,
  from: MergePlan['from'],
  into: MergePlan['into'],
  dryRun: boolean,
): Promise<ApiMergeResponse> {
  const nessie = await nessieClient(ctx);
  return nessie.request<ApiMergeResponse>('POST', `trees/${refPath(into.name, into.hash)}/history/merge`, {
    body: {
      fromRefName: from.name,
      fromHash: from.hash,
      ...(request.message ? { commitMeta: { message: request.message } } : {}),
      dryRun,
      isDryRun: dryRun,
      returnConflictAsResult: true,
      isReturnConflictAsResult: true,
    },
    signal: ctx.signal,
    pin: { name: into.name, hash: into.hash },
  });
}

function report(
  response: ApiMergeResponse,
  from: MergePlan['from'],
  into: MergePlan['into'],
  dryRun: boolean,
): MergeOutput {
  const details = response.details ?? [];
  const conflicts = details
    .filter((d) => d.conflict)
    .map((d) => ({
      key: formatKey(d.conflict?.key ?? d.key),
      type: d.conflict?.conflictType ?? 'UNKNOWN',
      ...(d.conflict?.message ? { message: d.conflict.message } : {}),
    }));
  const changes = details.filter((d) => !d.conflict).map((d) => formatKey(d.key));
  const status =
    conflicts.length > 0 || response.wasSuccessful === false
      ? 'conflict'
      : response.wasApplied
        ? 'merged'
        : dryRun && changes.length > 0
          ? 'would_merge'
          : 'nothing_to_merge';
  const result =
    status === 'merged' && response.resultantTargetHash ? { result_hash: response.resultantTargetHash } : {};
  return { status, from, into, ...result, changes, conflicts };
}
