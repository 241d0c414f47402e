/** Input fields shared by the stack tools, defined once. */
import { z } from 'zod';
import { SERVICE_NAMES } from './services/index.js';

export const ServiceName = z
  .enum(SERVICE_NAMES)
  .describe('A local service: s3 (moto), nessie, iceberg (REST catalog in Nessie)');

export const ServiceList = z
  .array(ServiceName)
  .optional()
  .describe('Services to act on (default: all); dependencies come along (nessie needs s3)');
