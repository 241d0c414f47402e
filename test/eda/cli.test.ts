/**
 * `datastack generate eda` and `datastack ai suggest` as a user runs them: the built bin (build
 * first: `npm run build`), the real registry, a real dataset, and for `ai suggest` the real SDK
 * against the fake Messages API through ANTHROPIC_BASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { runCli } from '../helpers/run-cli.js';
import { makeEdaWorkspace, type EdaWorkspace, type ReportOutput } from './fixtures.js';

let ws: EdaWorkspace;
let fake: FakeAnthropic;

beforeAll(async () => {
  ws = await makeEdaWorkspace();
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  ws.cleanup();
});

describe('datastack generate eda', () => {
  it('writes the report and prints a short summary, most severe first', async () => {
    const result = await runCli(['generate', 'eda', '--dataset', 'data/known.parquet', '--target', 'label'], {
      cwd: ws.root,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(ws.root, 'reports', 'eda-known.html'))).toBe(true);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^report:\s+reports\/eda-known\.html$/);
    expect(result.stdout).toMatch(/^task:\s+classification$/m);
    const firstFinding = lines.findIndex((line) => line.startsWith('SEVERITY'));
    expect(lines[firstFinding + 1]).toMatch(/^critical\s+leakage\s+label_copy, label/);
    expect(lines.length).toBeLessThan(60);
  });

  it('refuses to overwrite without --force, then overwrites with it', async () => {
    const again = await runCli(['generate', 'eda', 'data/known.parquet'], { cwd: ws.root });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: The report reports\/eda-known\.html already exists/);
    expect(again.stderr).toMatch(/--force/);
    const forced = await runCli(['--json', 'generate', 'eda', 'data/known.parquet', '--force'], {
      cwd: ws.root,
    });
    expect(forced.code).toBe(0);
    expect((JSON.parse(forced.stdout) as ReportOutput).task).toBe('exploration');
  });

  it('is also `eda generate-report` and `eda report`, with help', async () => {
    const report = await runCli(['--json', 'eda', 'report', 'data/cars.json', '--out', 'cars.html'], {
      cwd: ws.root,
    });
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ report: 'cars.html', rows: 406 });
    const help = await runCli(['generate', '--help'], { cwd: ws.root });
    expect(help.stdout).toMatch(/eda .*= eda generate-report/);
    const target = await runCli(['generate', 'eda', 'data/cars.json', '--target', 'nope'], { cwd: ws.root });
    // Invalid input is a usage error: exit 2.
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/No column "nope" in data\/cars\.json/);
  });
});

describe('datastack ai suggest', () => {
  it('without a key says the rule-based report works without one', async () => {
    const result = await runCli(['ai', 'suggest', '--dataset', 'data/penguins.json', '--target', 'Species'], {
      cwd: ws.root,
    });
    // A missing configuration is the caller's to fix: exit 2, as for chat and ask.
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/needs an Anthropic API key/);
    expect(result.stderr).toContain('datastack generate eda --dataset data/penguins.json --target Species');
  });

  it('with a key prints the answer and the findings', async () => {
    fake.push({ content: [{ type: 'text', text: '## Models\n- Start with logistic regression.' }] });
    const env = { ANTHROPIC_API_KEY: 'sk-ant-cli-test', ANTHROPIC_BASE_URL: fake.url };
    const result = await runCli(['ai', 'suggest', '--dataset', 'data/penguins.json', '--target', 'Species'], {
      cwd: ws.root,
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^suggestions:\n {2}## Models\n {2}- Start with logistic regression\.$/m);
    expect(fake.requests.at(-1)?.body.messages[0]?.content).toMatch(
      /Classes: Adelie 152, Gentoo 124, Chinstrap 68/,
    );
    // The key never reaches the output.
    expect(result.stdout).not.toContain('sk-ant-cli-test');
  });
});
