#!/usr/bin/env node
// The `rapport` command: runs the compiled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('rapport: the server is not built yet; run `npm run build` (npm start does it for you).');
  process.exit(1);
}
await import(cli);
