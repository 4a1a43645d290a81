#!/usr/bin/env node
// Job-health checker for the OPC Scraper TimescaleDB writer (community edition).
//
// Provisions the writer's community-edition DDL in PGlite (TimescaleDB 2.23 with its community
// module), makes the table's row-cap job fail for real (its config's max_rows is made a word, so
// the job's own procedure raises when it casts it), runs it with CALL run_job, and runs the
// writer's job-statistics queries over timescaledb_information.jobs / job_stats / job_errors. Then
// it mends the config, runs the job again and queries again.
//
// PGlite has no background workers: a job never fires by itself, and CALL run_job in the
// foreground records no statistics. What TimescaleDB's scheduler would record after each run (one
// row in _timescaledb_internal.bgw_job_stat_history with the run's error data, the totals in
// _timescaledb_internal.bgw_job_stat) is therefore written here, from the real outcome of the run:
// its SQLSTATE and message as PostgreSQL raised them. The views the writer reads are TimescaleDB's.
//
// Usage: node check-jobs.mjs INPUT.json
// INPUT.json: { "table": "...", "statements": [...], "rowCapJob": "limit_<table>_rows_job",
//               "jobsQuery": "SELECT ...", "errorsQuery": "SELECT ..." }
// Prints one JSON object: { ok, errors, failedRun: {sqlstate, message}, afterFailure: {jobs, errors},
// afterSuccess: {jobs, errors} }. Exit 0 when printed, 2 on bad usage, 3 when PGlite cannot start.

import { readFileSync } from 'node:fs';
import { openCommunityEdition } from './pglite.mjs';

const result = { ok: false, errors: [], failedRun: null, afterFailure: null, afterSuccess: null };

function fail(stage, err) {
  result.errors.push({ stage, message: String(err && err.message ? err.message : err) });
}

function jsonable(v) {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(jsonable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
  return v;
}

if (process.argv.length < 3) {
  process.stderr.write('usage: node check-jobs.mjs INPUT.json\n');
  process.exit(2);
}
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const key of ['table', 'statements', 'rowCapJob', 'jobsQuery', 'errorsQuery']) {
  if (!input[key]) {
    process.stderr.write(`INPUT.json needs "${key}"\n`);
    process.exit(2);
  }
}

let db;
try {
  db = await openCommunityEdition();
} catch (e) {
  fail('start', e);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.exit(3);
}

// What the scheduler records after a run (see the header): one history row, the totals.
async function record(jobId, started, error) {
  const finished = new Date();
  const data = error
    ? { job: { proc_schema: 'public', proc_name: input.rowCapJob },
        error_data: { sqlerrcode: error.code ?? null, message: error.message } }
    : { job: { proc_schema: 'public', proc_name: input.rowCapJob } };
  await db.query(
    `INSERT INTO _timescaledb_internal.bgw_job_stat_history (job_id, pid, execution_start, execution_finish, succeeded, data)
     VALUES ($1, pg_backend_pid(), $2, $3, $4, $5::jsonb)`,
    [jobId, started, finished, !error, JSON.stringify(data)]);
  await db.query(
    `INSERT INTO _timescaledb_internal.bgw_job_stat AS s (job_id, last_start, last_finish, next_start,
        last_successful_finish, last_run_success, total_runs, total_duration, total_duration_failures,
        total_successes, total_failures, total_crashes, consecutive_failures, consecutive_crashes, flags)
     VALUES ($1, $2, $3, $3::timestamptz + interval '1 hour',
        CASE WHEN $4 THEN $3::timestamptz ELSE '-infinity'::timestamptz END, $4, 1,
        $3::timestamptz - $2::timestamptz, CASE WHEN $4 THEN interval '0' ELSE $3::timestamptz - $2::timestamptz END,
        CASE WHEN $4 THEN 1 ELSE 0 END, CASE WHEN $4 THEN 0 ELSE 1 END, 0, CASE WHEN $4 THEN 0 ELSE 1 END, 0, 0)
     ON CONFLICT (job_id) DO UPDATE SET last_start = excluded.last_start, last_finish = excluded.last_finish,
        next_start = excluded.next_start, last_run_success = excluded.last_run_success,
        last_successful_finish = greatest(excluded.last_successful_finish, s.last_successful_finish),
        total_runs = s.total_runs + 1, total_successes = s.total_successes + excluded.total_successes,
        total_failures = s.total_failures + excluded.total_failures,
        consecutive_failures = CASE WHEN excluded.last_run_success THEN 0 ELSE s.consecutive_failures + 1 END`,
    [jobId, started, finished, !error]);
}

async function run(jobId) {
  const started = new Date();
  try {
    await db.query(`CALL run_job(${Number(jobId)})`);
    await record(jobId, started, null);
    return null;
  } catch (e) {
    await record(jobId, started, e);
    return { sqlstate: e.code ?? null, message: e.message };
  }
}

async function observe() {
  return {
    jobs: (await db.query(input.jobsQuery)).rows,
    errors: (await db.query(input.errorsQuery)).rows,
  };
}

try {
  await db.transaction(async (tx) => {
    for (const sql of input.statements) await tx.query(sql);
  });
  const job = (await db.query(
    `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1`, [input.rowCapJob])).rows[0];
  if (!job) throw new Error(`no job ${input.rowCapJob} after provisioning`);

  // A real failure of the real job: its procedure casts config ->> 'max_rows' to bigint.
  await db.query(`SELECT alter_job(${Number(job.job_id)}, config => '{"max_rows": "many"}'::jsonb)`);
  result.failedRun = await run(job.job_id);
  if (!result.failedRun) throw new Error('the row-cap job did not fail with a word for max_rows');
  result.afterFailure = await observe();

  await db.query(`SELECT alter_job(${Number(job.job_id)}, config => '{"max_rows": 1000}'::jsonb)`);
  const second = await run(job.job_id);
  if (second) throw new Error(`the mended row-cap job failed again: ${second.message}`);
  result.afterSuccess = await observe();
} catch (e) {
  fail('check', e);
}
result.ok = result.errors.length === 0;
process.stdout.write(JSON.stringify(jsonable(result), null, 2) + '\n');
process.exit(0);
