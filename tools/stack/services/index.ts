/**
 * The services `datastack stack` knows, in start order. A later component adds its file and one
 * line here (Spark, Airflow, MLflow, Redmine).
 */
import type { ServiceDefinition } from '../service.js';
import { airflowService } from './airflow.js';
import { mlflowService } from './mlflow.js';
import { icebergService, nessieService } from './nessie.js';
import { s3Service } from './s3.js';
import { sparkMasterService, sparkWorkerService } from './spark.js';

export const SERVICES: readonly ServiceDefinition[] = [
  s3Service,
  nessieService,
  icebergService,
  mlflowService,
  airflowService,
  sparkMasterService,
  sparkWorkerService,
];

/** What `stack up` starts when no service is named. */
export const DEFAULT_SERVICES: readonly string[] = ['s3', 'nessie', 'iceberg'];

export const SERVICE_NAMES = SERVICES.map((service) => service.name) as [string, ...string[]];

export function findService(name: string): ServiceDefinition | undefined {
  return SERVICES.find((service) => service.name === name);
}
