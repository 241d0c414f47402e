import type { AnyTool } from '../core/types.js';
import { dremioCatalog } from './browse-catalog.js';
import { dremioDescribe } from './describe-dataset.js';
import { dremioJobs } from './list-jobs.js';
import { dremioSql } from './run-sql.js';

export const dremioTools: readonly AnyTool[] = [dremioSql, dremioCatalog, dremioDescribe, dremioJobs];
