import type { AnyTool } from '../core/types.js';
import { envExport } from './export-env.js';
import { envInstall } from './install-requirements.js';
import { envSetup } from './setup-env.js';
import { envDocker } from './write-docker.js';

export const envTools: readonly AnyTool[] = [envSetup, envInstall, envExport, envDocker];
