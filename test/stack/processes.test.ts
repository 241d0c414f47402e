import { describe, expect, it } from 'vitest';
import { runCommand } from '../../tools/stack/processes.js';

describe('runCommand', () => {
  it('hands over whole lines even when output arrives mid-line, from both streams', async () => {
    const lines: string[] = [];
    const script = [
      "process.stdout.write('+ pyy');",
      "setTimeout(() => process.stdout.write('aml==6.0.4\\nResolved 1 package'), 50);",
      "setTimeout(() => process.stderr.write('warn: slow\\n'), 80);",
    ].join('\n');
    await runCommand(process.execPath, ['-e', script], {
      env: process.env,
      signal: new AbortController().signal,
      onLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(['+ pyyaml==6.0.4', 'warn: slow', 'Resolved 1 package']);
  });
});
