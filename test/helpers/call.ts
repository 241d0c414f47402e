/** Runs a tool through invokeTool, as every face does, and unwraps the outcome for assertions. */
import type { ToolError } from '../../tools/core/errors.js';
import { invokeTool } from '../../tools/core/invoke.js';
import type { AnyTool, ToolContext } from '../../tools/core/types.js';

/** The tool's output; its ToolError is thrown. */
export async function call<T = Record<string, unknown>>(
  tool: AnyTool,
  input: unknown,
  ctx: ToolContext,
): Promise<T> {
  const outcome = await invokeTool(tool, input, ctx);
  if (!outcome.ok) throw outcome.error;
  return outcome.output as T;
}

/** The ToolError the call ends with; a success fails the test. */
export async function callError(tool: AnyTool, input: unknown, ctx: ToolContext): Promise<ToolError> {
  const outcome = await invokeTool(tool, input, ctx);
  if (outcome.ok) {
    throw new Error(
      `${tool.name} succeeded but an error was expected: ${JSON.stringify(outcome.output).slice(0, 300)}`,
    );
  }
  return outcome.error;
}
