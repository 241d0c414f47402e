/** The parts of Airflow 3's REST API v2 answers that DataStack reads. */

export interface ApiDag {
  dag_id: string;
  dag_display_name?: string;
  is_paused: boolean;
  is_stale?: boolean;
  description?: string | null;
  tags?: Array<{ name: string }>;
  timetable_summary?: string | null;
  timetable_description?: string | null;
  fileloc?: string;
  relative_fileloc?: string | null;
  last_parsed_time?: string | null;
  has_import_errors?: boolean;
  owners?: string[];
  next_dagrun_run_after?: string | null;
}

export interface ApiTask {
  task_id: string;
  operator_name?: string | null;
  downstream_task_ids?: string[];
  trigger_rule?: string;
  retries?: number | null;
}

export interface ApiDagRun {
  dag_run_id: string;
  dag_id: string;
  state: string;
  logical_date?: string | null;
  queued_at?: string | null;
  start_date?: string | null;
  end_date?: string | null;
  run_type?: string;
  conf?: Record<string, unknown> | null;
  note?: string | null;
}

export interface ApiTaskInstance {
  task_id: string;
  state: string | null;
  try_number: number;
  map_index: number;
  start_date?: string | null;
  end_date?: string | null;
  duration?: number | null;
  operator_name?: string | null;
}

export interface ApiImportError {
  import_error_id: number;
  timestamp: string;
  filename: string;
  bundle_name?: string | null;
  stack_trace: string;
}

/** One structured log record of a task try (Airflow 3 logs are JSON events). */
export interface ApiLogEvent {
  timestamp?: string | null;
  event: string;
  level?: string;
  logger?: string;
  error_detail?: Array<{
    exc_type?: string;
    exc_value?: string;
    frames?: Array<{ filename?: string; lineno?: number; name?: string }>;
  }>;
}

/** Run states after which nothing more happens (task instances may still be cleared). */
export const FINISHED_RUN_STATES: ReadonlySet<string> = new Set(['success', 'failed']);
export const FAILED_TASK_STATES: ReadonlySet<string> = new Set(['failed', 'upstream_failed']);
