#!/usr/bin/env node
// Checks a Grafana dashboard JSON file against Grafana's published dashboard model: the TypeScript
// type Dashboard of npm @grafana/schema, compiled with tsc --noEmit (npm typescript).
//
// The file's JSON is written into generated/dashboard.ts as an object literal typed
// JsonOf<Dashboard> (json-of.ts: the model's JSON form, string enums as their values), so that tsc
// checks every property against the model: unknown properties (typos) and wrong types fail, and
// required ones (schemaVersion, a variable's name, ...) must be there. (Importing the file with
// resolveJsonModule would widen every string to string and miss both.)
//
// Usage: node check-dashboard.mjs DASHBOARD.json
// Exit 0: the dashboard conforms; 1: tsc reported errors (printed); 2: bad usage or unreadable file.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv.length < 3) {
  process.stderr.write('usage: node check-dashboard.mjs DASHBOARD.json\n');
  process.exit(2);
}
let text;
try {
  text = readFileSync(process.argv[2], 'utf8');
  JSON.parse(text);
} catch (e) {
  process.stderr.write(`cannot read ${process.argv[2]} as JSON: ${e.message}\n`);
  process.exit(2);
}
mkdirSync(join(here, 'generated'), { recursive: true });
writeFileSync(join(here, 'generated', 'dashboard.ts'),
  "import type { Dashboard } from '@grafana/schema';\n"
  + "import type { JsonOf } from '../json-of';\n\n"
  + `// Generated from ${process.argv[2]} by check-dashboard.mjs.\n`
  + `export const dashboard: JsonOf<Dashboard> = ${text.trim()};\n`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' });
process.stdout.write(run.stdout || '');
process.stderr.write(run.stderr || '');
process.exit(run.status === 0 ? 0 : 1);
