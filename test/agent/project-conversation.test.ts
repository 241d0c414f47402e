/**
 * "Start a churn project on customers.csv and show me what's in the data", in one conversation:
 * the scripted fake model calls the real project and EDA tools; the test checks the project and
 * the report on disk, and what the model was shown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selectTools } from '../../tools/index.js';
import { doneOf, ofType, startHarness, toolResultsSent, type Harness } from './harness.js';

/** 400 customers; churn follows tenure and contract, so the data has a real signal. */
function customersCsv(): string {
  const rows = ['customer_id,tenure_months,monthly_charges,contract,churned'];
  for (let i = 0; i < 400; i++) {
    const tenure = (i * 7) % 72;
    const contract = ['monthly', 'yearly', 'two-year'][i % 3] ?? 'monthly';
    const churned = tenure < 12 && contract === 'monthly' ? 'yes' : 'no';
    rows.push(`C${1000 + i},${tenure},${(20 + ((i * 13) % 90)).toFixed(2)},${contract},${churned}`);
  }
  return `${rows.join('\n')}\n`;
}

let harness: Harness | undefined;
afterEach(async () => harness?.close());

describe('a project in one conversation', () => {
  it('starts a churn project on customers.csv and profiles its data', async () => {
    harness = await startHarness(
      [
        {
          content: [
            {
              type: 'tool_use',
              name: 'project_init',
              input: {
                name: 'churn',
                template: 'ml-classification',
                dataset: 'customers.csv',
                target: 'churned',
              },
            },
          ],
        },
        {
          content: [
            {
              type: 'tool_use',
              name: 'eda_generate_report',
              input: { dataset: 'churn/data/raw/customers.csv', target: 'churned' },
            },
          ],
        },
        { content: [{ type: 'text', text: 'Your project is ready and the report is written.' }] },
      ],
      { 'customers.csv': customersCsv() },
    );
    const events = await harness.run({ tools: selectTools({ toolsets: ['project', 'eda'] }), maxTurns: 5 });

    expect(ofType(events, 'tool_call').map((e) => e.name)).toEqual(['project_init', 'eda_generate_report']);
    expect(ofType(events, 'tool_result').map((e) => e.ok)).toEqual([true, true]);
    expect(doneOf(events).reason).toBe('end_turn');

    // The project is on disk, filled in for this data, with its first commit.
    const root = join(harness.workspace.root, 'churn');
    expect(existsSync(join(root, '.git'))).toBe(true);
    expect(existsSync(join(root, 'data', 'raw', 'customers.csv'))).toBe(true);
    expect(readFileSync(join(root, 'configs', 'experiment.yaml'), 'utf8')).toContain('churned');

    // The report exists, and the model saw its findings fenced as untrusted data.
    const report = ofType(events, 'tool_result')[1];
    const path = (report?.ok && (report.output as { report?: string }).report) || '';
    expect(path).toMatch(/\.html$/);
    expect(readFileSync(join(harness.workspace.root, path), 'utf8')).toContain('<svg');
    const shown = toolResultsSent(harness.fake.requests[2]!.body)[0]?.content ?? '';
    expect(shown).toContain('churned');
    expect(shown).toMatch(/<untrusted-data-[0-9a-f]+>/);
  }, 120_000);
});
