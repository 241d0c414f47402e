// Writes dist/tools/manifest.json from the compiled registry, so start-up never imports zod.
import { writeFileSync } from 'node:fs';

const { buildManifest, MANIFEST_URL } = await import('../dist/tools/manifest.js');
const manifest = await buildManifest();
writeFileSync(MANIFEST_URL, JSON.stringify(manifest));
process.stderr.write(`manifest: ${manifest.length} tools\n`);
