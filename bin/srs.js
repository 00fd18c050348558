#!/usr/bin/env node
// Entry point of the `srs` command: runs the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'cli.js');
if (!existsSync(bundle)) {
  console.error('srs: the program is not built yet. Run `npm run build` (or `npm start`) in ' + root);
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
