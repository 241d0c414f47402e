/**
 * A driver's output on its way in (from spark-submit's pipes, or polled from a worker): every line
 * to the run's log file, the bootstrap's marker into the run record, and the job's own lines (not
 * Spark's INFO logging) to progress.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ToolContext } from '../core/types.js';
import { parseMarker, saveRun, type SparkRun } from './runs.js';

const LOG4J = /^\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d (INFO|WARN|DEBUG) /;
const JOB_EVENT = /(Job \d+ finished|Starting job)/;

export class DriverLog {
  private readonly file: WriteStream;
  private shown = 0;

  constructor(
    private readonly ctx: ToolContext,
    private readonly run: SparkRun,
    private readonly eventLogDir: string,
    path: string,
  ) {
    this.file = createWriteStream(path);
  }

  line(line: string): void {
    this.file.write(`${line}\n`);
    const marker = parseMarker(line);
    if (marker) {
      Object.assign(this.run, marker);
      if (marker.app_id) this.run.event_log = join(this.eventLogDir, marker.app_id);
      saveRun(this.ctx, this.run);
      this.ctx.progress({ done: this.shown, message: `application ${marker.app_id ?? '?'} started` });
    } else if (line.trim() && (!LOG4J.test(line) || JOB_EVENT.test(line))) {
      this.shown += 1;
      this.ctx.progress({ done: this.shown, message: line.replace(LOG4J, '').slice(0, 120) });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve));
  }
}

/** Splits a stream's chunks into lines, keeping an unfinished one until its end arrives. */
export class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    parts.forEach(this.onLine);
  }

  flush(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
  }
}
