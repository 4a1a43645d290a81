#!/usr/bin/env node
// Runs SQL steps against the community edition (PGlite with TimescaleDB's community module) after
// provisioning the writer's DDL, and reports the rows of each step: for SQL the writer runs with
// bound values (the per-clientid row-cap jobs) and for the SQL of the Grafana dashboard's panels.
//
// Usage: node run-steps.mjs INPUT.json
// INPUT.json:
//   {
//     "statements": ["CREATE ...", ...],   // the writer's DDL, run in ONE transaction under lockKey
//     "lockKey": "-123",                    // the provisioner's advisory-lock key (text)
//     "steps": [{ "name": "x", "sql": "SELECT $1::text", "params": ["a"] }, ...]
//   }
// Steps run in order, each on its own (PGlite has one connection; a step is one statement, or a DO
// block). Parameters are $1, $2, ... (pass 64-bit values as strings). The first failing step ends
// the run. Prints one JSON object: { ok, errors: [{stage, step, message}], license, steps: {name: rows} }.
// Exit 0 when printed, 2 on bad usage, 3 when PGlite cannot start.

import { jsonable, openCommunityEdition, readInput } from './pglite.mjs';

const result = { ok: false, errors: [], license: null, steps: {} };

function print(code) {
  result.ok = result.errors.length === 0;
  // Exit once the output is flushed: a pipe takes a large result in several writes.
  process.stdout.write(JSON.stringify(jsonable(result), null, 2) + '\n', () => process.exit(code));
}

const input = readInput('node run-steps.mjs INPUT.json');
if (!Array.isArray(input.statements) || !Array.isArray(input.steps)) {
  process.stderr.write('INPUT.json needs "statements" and "steps" arrays\n');
  process.exit(2);
}

let db;
try {
  db = await openCommunityEdition();
} catch (e) {
  result.errors.push({ stage: 'start', message: String(e && e.message ? e.message : e) });
  print(3);
  await new Promise(() => {}); // print exits
}

try {
  result.license = (await db.query(`SELECT current_setting('timescaledb.license', true) AS l`)).rows[0].l;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(input.lockKey ?? '0')]);
    for (const sql of input.statements) await tx.query(sql);
  });
} catch (e) {
  result.errors.push({ stage: 'provision', message: String(e && e.message ? e.message : e) });
}
if (result.errors.length === 0) {
  for (const step of input.steps) {
    try {
      result.steps[step.name] = (await db.query(step.sql, step.params || [])).rows;
    } catch (e) {
      result.errors.push({ stage: 'step', step: step.name, message: String(e && e.message ? e.message : e) });
      break;
    }
  }
}
try {
  await db.close();
} catch (e) {
  // closing a WebAssembly instance that failed is not worth a report
}
print(0);
