/** Model versions as the tools return them. */
import { isoTime, type ApiModelVersion, type ApiRegisteredModel } from './model.js';
import type { ModelVersionOut } from './schemas.js';

export function toVersionOut(version: ApiModelVersion, model?: ApiRegisteredModel): ModelVersionOut {
  // model-versions/search leaves out aliases; the registered model lists them all.
  const aliases = version.aliases?.length
    ? version.aliases
    : (model?.aliases ?? []).filter((a) => a.version === version.version).map((a) => a.alias);
  const created = isoTime(version.creation_timestamp);
  return {
    name: version.name,
    version: version.version,
    ...(version.run_id ? { run_id: version.run_id } : {}),
    ...(version.source ? { source: version.source } : {}),
    ...(version.status ? { status: version.status } : {}),
    ...(created ? { created } : {}),
    ...(aliases.length ? { aliases } : {}),
  };
}

export function versionLine(v: ModelVersionOut): string {
  const aliases = v.aliases?.length ? ` @${v.aliases.join(' @')}` : '';
  return `${v.name} v${v.version}${aliases} ${v.status ?? ''} run ${v.run_id ?? '-'} ${v.created?.slice(0, 19) ?? ''} ${v.source ?? ''}`;
}
