/**
 * `datastack <toolset> <action> --flags`, generated from the manifest for every tool, plus a few
 * shortcuts in the concept's wording (`datastack sql "…"`). Reads JSON schemas only, so building
 * the tree costs no zod and no tool module; the tool runs through `run`, loaded lazily.
 */
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import type { ToolAnnotations } from '../../tools/core/types.js';
import type { ToolManifestEntry } from '../../tools/manifest.js';
import {
  appendItems,
  coerceValue,
  describeField,
  fieldSpecs,
  FlagValueError,
  type FieldSpec,
} from './flags.js';

export type RunTool = (
  entry: ToolManifestEntry,
  input: Record<string, unknown>,
  command: Command,
) => Promise<number>;

export interface ToolTreeOptions {
  /** `--read-only`: other tools disappear from help; running one is refused by invokeTool. */
  readOnly: boolean;
  /** Built-in command names no toolset or shortcut may take. */
  reserved: readonly string[];
  run: RunTool;
  /** Receives the exit code of the tool that ran. */
  onExit: (code: number) => void;
}

/** One line per toolset in `datastack --help`; a toolset not listed shows its actions instead. */
const TOOLSET_DESCRIPTIONS: Record<string, string> = {
  query: 'SQL, schemas and profiles of local CSV, Parquet and JSON files (DuckDB)',
  stack: 'Local services without Docker: S3 (moto), Nessie, Iceberg REST',
  notebook: 'Jupyter notebooks written for a dataset, and run headless',
  eda: 'Automatic exploratory analysis: HTML report with charts and findings',
  ai: "Claude's reasoning on top of the rule-based findings (needs ANTHROPIC_API_KEY)",
  s3: 'Buckets and objects in S3 / MinIO',
  nessie: 'Branches, tags, commits and merges of the Nessie catalog',
  iceberg: 'Iceberg tables through the REST catalog',
  spark: 'Spark jobs',
  dremio: 'Queries and datasets in Dremio',
  airflow: 'DAGs and runs in Airflow',
  embulk: 'Ingestion with Embulk 0.11: generate, validate, preview and run load configs (data ingest does it in one step)',
  mlflow: 'Experiments, runs and models in MLflow',
  experiment: 'Training runs with provenance: run, compare, show, reproduce (MLflow, W&B)',
  data: 'Data versions with DVC: add, version tags, push/pull to S3, status, diff',
  git: 'The project repository: status, branches, commits, tags, diff summary',
  redmine: 'Issues in Redmine',
  jira: 'Issues in Jira',
  project: 'New data science projects from templates, with working baselines',
  env: 'Python environments: setup, auto-detected requirements, lock, Docker',
};

/**
 * Top-level shortcuts in the concept's wording. A later component adds its own line; a shortcut
 * whose tool is absent, or whose name is taken, is skipped.
 */
export const FRIENDLY_ALIASES: ReadonlyArray<{
  command: string;
  tool: string;
  /** Arguments the shortcut fixes (`generate debug-notebook` is `--analysis debug`): not offered as flags. */
  preset?: Readonly<Record<string, unknown>>;
}> = [
  { command: 'sql', tool: 'query_sql' },
  { command: 'describe', tool: 'query_describe' },
  { command: 'profile', tool: 'query_profile' },
  { command: 'datasets', tool: 'query_list_datasets' },
  { command: 'init', tool: 'project_init' },
  { command: 'generate eda', tool: 'eda_generate_report' },
  { command: 'generate notebook', tool: 'notebook_generate' },
  { command: 'generate debug-notebook', tool: 'notebook_generate', preset: { analysis: 'debug' } },
  { command: 'generate pipeline', tool: 'pipeline_generate' },
];

/** What a command's line in its parent's help shows for its arguments: `<sql>`, not commander's `[sql]`. */
const argumentTerms = new WeakMap<Command, string>();

export function subcommandTerm(command: Command): string | undefined {
  const args = argumentTerms.get(command);
  if (args === undefined) return undefined;
  const aliases = command.aliases().length ? `|${command.aliases().join('|')}` : '';
  const options = command.options.some((option) => !option.hidden) ? ' [options]' : '';
  return `${command.name()}${aliases}${options} ${args}`;
}

export function annotationWords(annotations: ToolAnnotations): string[] {
  return [
    annotations.readOnly ? 'read-only' : '',
    annotations.destructive ? 'destructive' : '',
    annotations.idempotent ? 'idempotent' : '',
    annotations.openWorld ? 'open-world' : '',
  ].filter(Boolean);
}

export function addToolCommands(
  program: Command,
  manifest: readonly ToolManifestEntry[],
  options: ToolTreeOptions,
): void {
  const taken = new Set([
    ...options.reserved,
    ...program.commands.flatMap((command) => [command.name(), ...command.aliases()]),
  ]);
  const toolsets = new Map<string, ToolManifestEntry[]>();
  for (const entry of manifest) toolsets.set(entry.toolset, [...(toolsets.get(entry.toolset) ?? []), entry]);

  for (const [toolset, entries] of toolsets) {
    if (taken.has(toolset)) throw new Error(`Toolset "${toolset}" collides with a built-in command`);
    const visible = entries.filter((entry) => !options.readOnly || entry.annotations.readOnly);
    const group = program
      .command(toolset, { hidden: visible.length === 0 })
      .helpGroup('Tools (datastack <toolset> <action> --help):')
      .description(TOOLSET_DESCRIPTIONS[toolset] ?? `${visible.map((e) => e.action).join(', ')}`);
    for (const entry of entries) addToolCommand(group, entry, entry.action, options).aliases(entry.aliases);
    taken.add(toolset);
  }

  // Two-word shortcuts (`generate eda`) hang under a group named by the first word.
  const groups = new Map<string, Command>();
  for (const alias of FRIENDLY_ALIASES) {
    const entry = manifest.find((e) => e.name === alias.tool);
    const [word = '', sub] = alias.command.split(' ');
    const free =
      sub === undefined
        ? !taken.has(word)
        : !taken.has(alias.command) && (groups.has(word) || !taken.has(word));
    if (!entry || !free) continue;
    let parent = program;
    if (sub !== undefined) {
      parent = groups.get(word) ?? program.command(word).helpGroup('Shortcuts:');
      groups.set(word, parent);
      taken.add(word);
    }
    const fixed = Object.entries(alias.preset ?? {}).map(([field, value]) => ` --${field} ${String(value)}`);
    addToolCommand(parent, entry, sub ?? word, options, alias.preset)
      .helpGroup('Shortcuts:')
      .summary(`= ${entry.toolset} ${entry.action}${fixed.join('')}: ${entry.title}`);
    taken.add(alias.command);
  }
  for (const group of groups.values()) group.description(group.commands.map((c) => c.name()).join(', '));
}

function addToolCommand(
  parent: Command,
  entry: ToolManifestEntry,
  name: string,
  options: ToolTreeOptions,
  preset: Readonly<Record<string, unknown>> = {},
): Command {
  const hidden = options.readOnly && !entry.annotations.readOnly;
  const command = parent
    .command(name, { hidden })
    .summary(entry.title)
    .description(`${entry.title}. ${entry.description}`);
  const specs = fieldSpecs(entry.inputSchema, entry.positional).filter((spec) => !(spec.field in preset));
  const positionals = specs.filter((spec) => spec.positional);
  const byAttribute = new Map<string, FieldSpec>();

  // Positionals may also be given as flags (`profile --dataset x`, the concept's wording), so
  // commander sees them as optional and the action checks that one of the two is there.
  const labels = positionals.map((spec, index) => {
    const variadic = spec.kind === 'array' && index === positionals.length - 1;
    const label = `${spec.flag}${variadic ? '...' : ''}`;
    const argument = new Argument(`[${label}]`, `${describeField(spec)} (or --${spec.flag})`);
    command.addArgument(argument.argParser(parserFor(spec)));
    return spec.required ? `<${label}>` : `[${label}]`;
  });
  if (labels.length) {
    command.usage(`[options] ${labels.join(' ')}`);
    argumentTerms.set(command, labels.join(' '));
  }
  const flagOf = new Map<FieldSpec, string>();
  for (const spec of specs) {
    for (const option of optionsFor(spec, { asPositional: spec.positional })) {
      command.addOption(option);
      byAttribute.set(option.attributeName(), spec);
      flagOf.set(spec, option.attributeName());
    }
  }

  command.addHelpText('after', () => helpFooter(entry, specs));
  command.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Command;
    const values = (args[positionals.length] ?? {}) as Record<string, unknown>;
    const input: Record<string, unknown> = { ...preset };
    for (const [attribute, value] of Object.entries(values)) {
      const spec = byAttribute.get(attribute);
      if (spec && value !== undefined) input[spec.field] = value;
    }
    positionals.forEach((spec, index) => {
      const value = args[index];
      const asFlag = values[flagOf.get(spec) ?? ''];
      if (value !== undefined && asFlag !== undefined) {
        self.error(`error: ${spec.flag} given twice (as an argument and as --${spec.flag})`, usageError);
      }
      if (value !== undefined) input[spec.field] = value;
      else if (asFlag === undefined && spec.required) {
        self.error(`error: missing required argument '${spec.flag}'`, usageError);
      }
    });
    options.onExit(await options.run(entry, input, self));
  });
  return command;
}

const usageError = { exitCode: 2, code: 'commander.missingArgument' };

function optionsFor(spec: FieldSpec, { asPositional }: { asPositional: boolean }): Option[] {
  const description = describeField(spec);
  if (spec.kind === 'boolean') {
    // Both spellings exist so a script can be explicit; help shows the one that changes something.
    const on = new Option(`--${spec.flag}`, description);
    const off = new Option(`--no-${spec.flag}`, `Turn off --${spec.flag}`);
    if (spec.default === true) on.hideHelp();
    else off.hideHelp();
    return [on, off];
  }
  const placeholder = {
    string: 'text',
    number: 'number',
    integer: 'int',
    enum: 'choice',
    array: 'list',
    json: 'json',
  }[spec.kind];
  const option = new Option(`--${spec.flag} <${placeholder}>`, description).argParser(parserFor(spec));
  // The argument's help already names this spelling of a positional.
  if (asPositional) option.hideHelp();
  // Commander checks presence only; zod checks the rest, once, in invokeTool.
  else if (spec.required) option.makeOptionMandatory();
  return [option];
}

function parserFor(spec: FieldSpec): (raw: string, previous: unknown) => unknown {
  return (raw, previous) => {
    try {
      if (spec.kind === 'array') return appendItems(spec, raw, previous);
      return coerceValue(spec.kind, raw, spec.choices);
    } catch (error) {
      // Commander reports InvalidArgumentError as "argument 'x' is invalid. <reason>", exit 2.
      if (error instanceof FlagValueError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

function helpFooter(entry: ToolManifestEntry, specs: readonly FieldSpec[]): string {
  const words = annotationWords(entry.annotations);
  const lines = ['', `Tool: ${entry.name}${words.length ? ` (${words.join(', ')})` : ''}`];
  if (entry.aliases.length)
    lines.push(`Aliases: ${entry.aliases.map((a) => `${entry.toolset} ${a}`).join(', ')}`);
  if (entry.annotations.destructive) {
    lines.push('', 'Destructive: it asks y/N on a terminal; scripts must pass --yes. Hidden by --read-only.');
  } else if (!entry.annotations.readOnly) {
    lines.push('', 'Changes data: refused under --read-only.');
  }
  const example = specs
    .filter((spec) => spec.required)
    .map((spec) => (spec.positional ? `<${spec.flag}>` : `--${spec.flag} <${spec.flag}>`));
  lines.push('', 'Example:', `  $ datastack ${[entry.toolset, entry.action, ...example].join(' ')}`);
  lines.push(`  $ datastack --json ${[entry.toolset, entry.action, ...example].join(' ')}`);
  return lines.join('\n');
}
