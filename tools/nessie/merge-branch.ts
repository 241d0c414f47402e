import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { applyMerge, MergeOutput, planMerge, type MergePlan } from './merge-plan.js';
import { Hash, RefName, shortHash } from './model.js';
import { Prepared } from './prepared.js';

const Input = z.object({
  from: RefName.describe("Branch (or tag) whose changes to merge, e.g. 'agent/clean-sales'"),
  into: RefName.optional().describe('Branch to merge into (default: the default branch)'),
  from_hash: Hash.optional().describe('Merge `from` up to this commit (default: its head, read now)'),
  expected_hash: Hash.optional().describe(
    'Head of `into` the merge is based on (default: read before asking)',
  ),
  message: z.string().min(1).optional().describe('Message of the merge commit'),
  dry_run: z
    .boolean()
    .default(false)
    .describe('Only preview: list the keys that would change and any conflicts'),
});
type Input = z.infer<typeof Input>;

/** The preview shown in the question; the merge is pinned at the same source and target hashes. */
const plan = new Prepared<Input, MergePlan>(planMerge);

function question(from: string, { into, preview }: MergePlan): string {
  const target = `\`${into.name}\` at ${shortHash(into.hash)}`;
  if (preview.status === 'conflict') {
    const keys = preview.conflicts.map((c) => c.key).join(', ');
    return `Merge \`${from}\` into ${target}: it conflicts on ${keys}, so nothing will be merged`;
  }
  if (preview.status === 'nothing_to_merge') return `Merge \`${from}\` into ${target}: nothing to merge`;
  const keys = preview.changes.slice(0, 5).join(', ') + (preview.changes.length > 5 ? ', …' : '');
  return `Merge \`${from}\` (${preview.changes.length} change(s): ${keys}) into ${target}`;
}

export const nessieMerge = defineTool({
  name: 'nessie_merge',
  title: 'Merge Nessie branch',
  description:
    'Merge a branch into another (default: the default branch). dry_run previews changed keys and conflicts; conflicts are reported, nothing half-merged.',
  toolset: 'nessie',
  positional: ['from', 'into'],
  input: Input,
  output: MergeOutput,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary(input, ctx) {
    return plan.summary(input, ctx, (planned) => question(input.from, planned), `Merge \`${input.from}\``);
  },
  async run(input, ctx) {
    const planned = await plan.take(input, ctx);
    if (input.dry_run || planned.preview.status !== 'would_merge') return planned.preview;
    return applyMerge(input, planned, ctx);
  },
  toText(output) {
    const pair = `\`${output.from.name}\` into branch \`${output.into.name}\``;
    const keys = (list: string[]) => fenceUntrusted('content keys', list.join('\n'));
    switch (output.status) {
      case 'merged': {
        const how = output.fast_forward ? ' (fast-forward: the target had no commits)' : '';
        return `Merged ${pair}${how}: now at ${output.result_hash ?? '?'}. ${output.changes.length} key(s) changed:\n${keys(output.changes)}`;
      }
      case 'would_merge':
        return `Dry run: merging ${pair} would change ${output.changes.length} key(s):\n${keys(output.changes)}`;
      case 'nothing_to_merge':
        return `Nothing to merge: ${pair} has no changes that are not already there.`;
      case 'conflict': {
        const lines = output.conflicts.map((c) => `${c.key}: ${c.type}${c.message ? ` (${c.message})` : ''}`);
        return `Conflict: ${pair} was not merged (nothing changed). ${output.conflicts.length} key(s) conflict:\n${keys(lines)}`;
      }
    }
  },
});
