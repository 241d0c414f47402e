/**
 * The agent's working branch. When the agent (chat, ask, an MCP client) writes a table without
 * naming a reference, the write goes to `agent/<session>` instead of the default branch; a person
 * merges it, through nessie_merge, which is confirmed and shows what changes. Reads without a
 * reference see the working branch once it exists, so the agent reads what it wrote.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { nessieClient } from './client.js';
import type { ApiReference } from './model.js';

export type RefAccess = 'read' | 'write';

/** The reference a catalog call should use: the one named, else the working branch, else none. */
export async function effectiveRef(
  ctx: ToolContext,
  ref: string | undefined,
  access: RefAccess,
): Promise<string | undefined> {
  if (ref || !ctx.workBranch || !ctx.config.nessie) return ref;
  const branch = ctx.workBranch;
  if (access === 'write') {
    await ensureWorkBranch(ctx, branch);
    return branch;
  }
  return (await workBranchExists(ctx, branch)) ? branch : undefined;
}

async function workBranchExists(ctx: ToolContext, branch: string): Promise<boolean> {
  const nessie = await nessieClient(ctx);
  try {
    await nessie.getReference(branch, ctx.signal);
    return true;
  } catch (error) {
    if (error instanceof ToolError && error.code === 'not_found') return false;
    throw error;
  }
}

/** Creates the working branch from the default branch's current head, once per process. */
function ensureWorkBranch(ctx: ToolContext, branch: string): Promise<void> {
  return ctx.clients.get(`nessie:work-branch:${branch}`, async () => {
    if (await workBranchExists(ctx, branch)) return;
    const nessie = await nessieClient(ctx);
    const from = ctx.config.nessie?.default_branch ?? 'main';
    const source = await nessie.getReference(from, ctx.signal);
    try {
      await nessie.request<{ reference: ApiReference }>('POST', 'trees', {
        query: { name: branch, type: 'BRANCH' },
        body: { type: source.type, name: from, hash: source.hash },
        signal: ctx.signal,
      });
      ctx.log.info(`created working branch ${branch} from ${from} at ${(source.hash ?? '').slice(0, 12)}`);
    } catch (error) {
      // Another call of the same session created it first: that is the branch we wanted.
      if (!(error instanceof ToolError && error.code === 'conflict')) throw error;
    }
  });
}
