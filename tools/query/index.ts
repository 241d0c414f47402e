import type { AnyTool } from '../core/types.js';
import { queryClearResults } from './clear-results.js';
import { queryDescribe } from './describe-dataset.js';
import { queryListDatasets } from './list-datasets.js';
import { queryProfile } from './profile-dataset.js';
import { querySql } from './run-sql.js';

export const queryTools: readonly AnyTool[] = [
  querySql,
  queryListDatasets,
  queryDescribe,
  queryProfile,
  queryClearResults,
];
