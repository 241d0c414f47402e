/**
 * The one way every face runs a tool: validate the input once, apply the read-only and
 * destructive policy, run, and turn failures into ToolErrors. Faces only render the outcome.
 */
import type { z } from 'zod';
import { ToolError, toToolError } from './errors.js';
import type { AnyTool, ToolContext } from './types.js';

export interface InvokePolicy {
  /** Refuse anything that is not read-only. */
  readOnly?: boolean;
  /** Destructive calls were approved up front (`--yes`); skip the confirmation gate. */
  preApproved?: boolean;
}

export type InvokeOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; error: ToolError };

export async function invokeTool(
  tool: AnyTool,
  rawInput: unknown,
  ctx: ToolContext,
  policy: InvokePolicy = {},
): Promise<InvokeOutcome> {
  if (policy.readOnly && !tool.annotations.readOnly) {
    return {
      ok: false,
      error: new ToolError('read_only', `${tool.name} changes data and read-only mode is on`, {
        hint: 'Run without --read-only to allow changes',
      }),
    };
  }
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) return { ok: false, error: invalidInput(tool, parsed.error) };

  // A dry run changes nothing by contract (STYLE.md: destructive tools take `dry_run`), so it needs no approval.
  const dryRun = (parsed.data as { dry_run?: unknown }).dry_run === true;
  if (tool.annotations.destructive && !policy.preApproved && !dryRun) {
    let approved: boolean;
    try {
      // The summary may read the current state (a branch's hash, the files to delete): it can fail too.
      const summary =
        (await tool.confirmSummary?.(parsed.data, ctx)) ?? `${tool.title}: this cannot be undone`;
      approved = await ctx.confirm({ tool: tool.name, summary, input: parsed.data });
    } catch (error) {
      return { ok: false, error: toToolError(error) };
    }
    if (!approved) {
      return {
        ok: false,
        error: new ToolError('refused', `The user declined ${tool.name}`, {
          hint: 'Do not retry it; ask the user what they want instead',
        }),
      };
    }
  }
  if (ctx.signal.aborted) return { ok: false, error: new ToolError('aborted', 'Cancelled') };

  try {
    const output = await tool.run(parsed.data, ctx);
    return { ok: true, output: output };
  } catch (error) {
    if (!ctx.signal.aborted) return { ok: false, error: toToolError(error) };
    // A tool's own cancellation message says what it undid ("run X marked KILLED"): keep it.
    const own = error instanceof ToolError && error.code === 'aborted' ? error : undefined;
    return { ok: false, error: own ?? new ToolError('aborted', 'Cancelled', { cause: error }) };
  }
}

function invalidInput(tool: AnyTool, error: z.ZodError): ToolError {
  const details = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ');
  return new ToolError('invalid_input', `Invalid arguments for ${tool.name}: ${details}`, {
    hint: `See \`datastack ${tool.toolset} ${actionName(tool)} --help\``,
  });
}

/** The CLI action of a tool: `query_list_datasets` in toolset `query` → `list-datasets`. */
export function actionName(tool: AnyTool): string {
  if (tool.action) return tool.action;
  const prefix = `${tool.toolset}_`;
  const bare = tool.name.startsWith(prefix) ? tool.name.slice(prefix.length) : tool.name;
  return bare.replace(/_/g, '-');
}

/** The compact text a model (or an MCP client) reads for a result. */
export function outputText(tool: AnyTool, output: Record<string, unknown>): string {
  return tool.toText ? tool.toText(output) : JSON.stringify(dropEmpty(output));
}

/** Removes undefined, null, empty arrays and empty strings: they only cost tokens. */
export function dropEmpty<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropEmpty) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      out[key] = dropEmpty(v);
    }
    return out as T;
  }
  return value;
}
