import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { GenerateInput, generateConfig } from './generate-config.js';
import { RunOutput, runText } from './run-config.js';

const Input = GenerateInput.extend({
  overwrite: z.boolean().default(true).describe('Replace the config of an earlier ingest of the same source'),
});

const Output = RunOutput.extend({
  columns: z.array(z.string().describe('name:type')).describe('Columns guessed from the source'),
});

/** `datastack data ingest SOURCE`: generate the Embulk config and run it, in one step. */
export const dataIngest = defineTool({
  name: 'data_ingest',
  title: 'Ingest data with Embulk',
  description:
    'Load a CSV/TSV/JSON-lines file, folder or S3 object with Embulk: guess the parser, write embulk/NAME.yml, run it, and land the result locally, in S3, or in an Iceberg table (destination lake).',
  toolset: 'data',
  positional: ['source'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  toText: (o) => `${runText(o)}\ncolumns: ${o.columns.join(', ')}\nconfig: ${o.config}`,
  async run(input, ctx) {
    const generated = await generateConfig(input, ctx);
    const { runEmbulk } = await import('./run-embulk.js');
    const run = await runEmbulk(ctx, generated.config);
    return { ...run, columns: generated.columns.map((c) => `${c.name}:${c.type}`) };
  },
});
