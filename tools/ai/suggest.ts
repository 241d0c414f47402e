/**
 * `datastack ai suggest`: the EDA profile and its rule-based findings, sent to Claude for the
 * modelling reasoning rules cannot do. The SDK and the prompt loader are imported inside `run`,
 * so the registry stays cheap to import; without a key the tool says what works without one.
 */
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { modelAdvice, suggestionsOf } from '../eda/advice.js';
import { analyzeDataset } from '../eda/analyze.js';
import { findingsOf } from '../eda/findings.js';
import { findingLines } from '../eda/generate-report.js';
import { profileText } from '../eda/profile-text.js';
import { DatasetField, Finding, TargetField, TaskField } from '../eda/schemas.js';

/** Enough for a page of advice; the config's limit is for agent turns. */
const MAX_ANSWER_TOKENS = 4096;

const Input = z.object({
  dataset: DatasetField,
  target: TargetField,
  question: z
    .string()
    .min(1)
    .optional()
    .describe('What to focus on, e.g. "which features to engineer first"'),
});

const Output = z.object({
  dataset: z.string().describe('Dataset path, relative to the workspace'),
  target: z.string().optional().describe('Target column, when given'),
  task: TaskField,
  suggestions: z.string().describe("Claude's modelling advice (Markdown), on top of the rule-based findings"),
  findings: z.array(Finding).describe('The rule-based findings Claude was given, most severe first'),
  model: z.string().describe('Model that answered'),
  usage: z
    .object({
      input_tokens: z.number().describe('Prompt tokens'),
      output_tokens: z.number().describe('Answer tokens'),
    })
    .describe('Tokens used'),
});

type SuggestInput = z.infer<typeof Input>;
type SuggestOutput = z.infer<typeof Output>;

export const aiSuggest = defineTool({
  name: 'ai_suggest',
  title: 'AI modelling suggestions',
  description:
    "Claude's modelling advice for a dataset (features, risks, algorithms, metrics, validation) on top of the rule-based EDA findings. Needs an Anthropic API key; eda_generate_report works without one.",
  toolset: 'ai',
  positional: ['dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: false, openWorld: true },
  run: suggest,
  toText: suggestText,
});

async function suggest(input: SuggestInput, ctx: ToolContext): Promise<SuggestOutput> {
  if (!ctx.config.anthropic.api_key?.trim()) {
    throw new ToolError('config', '`ai suggest` needs an Anthropic API key, and none is configured', {
      hint: `Set ANTHROPIC_API_KEY (or anthropic.api_key in datastack.yaml). Without a key, \`datastack generate eda --dataset ${input.dataset}${input.target ? ` --target ${input.target}` : ''}\` gives the rule-based findings and the HTML report`,
    });
  }
  const analysis = await analyzeDataset({ dataset: input.dataset, target: input.target, bins: 10 }, ctx);
  const findings = findingsOf(analysis);
  const profile = profileText(analysis, {
    findings,
    suggestions: suggestionsOf(analysis),
    models: modelAdvice(analysis),
  });
  const request = [
    'Profile of the dataset and the rule-based findings:',
    fenceUntrusted('dataset profile (column names and values come from the file)', profile),
    input.question ? `Focus on: ${input.question}` : 'Give your modelling advice.',
  ].join('\n\n');

  const [{ createAnthropicClient }, { loadPrompt }] = await Promise.all([
    import('../../agent/anthropic-client.js'),
    import('../../agent/prompts.js'),
  ]);
  const client = await createAnthropicClient(ctx.config);
  const model = ctx.config.anthropic.model;
  ctx.progress({ done: 3, total: 4, message: `asking ${model}` });
  let message;
  try {
    message = await client.messages.create(
      {
        model,
        max_tokens: Math.min(ctx.config.anthropic.max_tokens, MAX_ANSWER_TOKENS),
        system: loadPrompt('eda-suggest'),
        messages: [{ role: 'user', content: request }],
      },
      { signal: ctx.signal },
    );
  } catch (error) {
    throw apiError(error, ctx);
  }
  const text = message.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('\n')
    .trim();
  ctx.progress({ done: 4, total: 4, message: 'done' });
  return {
    dataset: analysis.dataset,
    ...(analysis.target ? { target: analysis.target.name } : {}),
    task: analysis.target?.task ?? 'exploration',
    suggestions: text,
    findings,
    model: message.model,
    usage: { input_tokens: message.usage.input_tokens, output_tokens: message.usage.output_tokens },
  };
}

/** SDK errors carry an HTTP status (none when the connection failed); read it without the SDK's classes. */
function apiError(error: unknown, ctx: ToolContext): ToolError {
  if (ctx.signal.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  const status = (error as { status?: unknown } | null)?.status;
  const detail = error instanceof Error ? error.message : String(error);
  const where = ctx.config.anthropic.base_url || 'the Anthropic API';
  if (status === 401 || status === 403) {
    return new ToolError('unauthorized', `The Anthropic API refused the key: ${detail}`, {
      cause: error,
      hint: 'Check ANTHROPIC_API_KEY (or anthropic.api_key); `datastack generate eda` works without a key',
    });
  }
  if (typeof status === 'number' && status < 500 && status !== 429) {
    return new ToolError('invalid_input', `The Anthropic API rejected the request: ${detail}`, {
      cause: error,
    });
  }
  return new ToolError('unavailable', `Could not get an answer from ${where}: ${detail}`, {
    cause: error,
    hint: 'Try again in a moment; `datastack generate eda` gives the rule-based findings meanwhile',
  });
}

function suggestText(output: SuggestOutput): string {
  const head = `AI suggestions for ${output.dataset} (${output.task}${output.target ? ` of ${output.target}` : ''}, ${output.model}):`;
  // The answer was written from untrusted file contents, so it is fenced too.
  const body = [output.suggestions, '', 'Rule-based findings:', ...findingLines(output.findings)].join('\n');
  return `${head}\n${fenceUntrusted('model answer about the dataset', body)}`;
}
