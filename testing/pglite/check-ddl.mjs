#!/usr/bin/env node
// Community-edition DDL checker for the OPC Scraper TimescaleDB writer.
//
// Runs the statements the writer generates for the TimescaleDB community edition
// (SchemaDdl.statements(Edition.COMMUNITY, ...)) in PGlite, an in-process WebAssembly
// PostgreSQL with TimescaleDB 2.23 (timescaledb.license = timescale), then exercises them:
// sample rows, a refresh of each continuous aggregate, CALL run_job(<row-cap job>), a second
// refresh, a real-time aggregation probe. Prints one JSON object on stdout.
//
// PGlite is slow, has one connection and no background workers (jobs never fire by themselves):
// a DDL and small-data checker, never a JDBC target.
//
// Usage: node check-ddl.mjs INPUT.json
// INPUT.json:
//   {
//     "table": "sensor_data",                 // the writer table the statements are for
//     "statements": ["CREATE ...", ...],      // run in ONE transaction, as the provisioner does
//     "lockKey": "-123",                      // the advisory-lock key the provisioner takes (text)
//     "previousStatements": [...],            // optional: run first (an earlier configuration), to
//                                             // check that "statements" update what it left
//     "runTwice": true,                       // run them again in a second transaction (idempotence)
//     "sampleRows": 1500,                     // rows inserted, sampleSpacingSeconds apart, newest 1 min ago
//     "sampleSpacingSeconds": 10,
//     "rowCapJob": "limit_sensor_data_rows_job",  // proc_name of the row-cap job (default limit_<table>_rows_job)
//     "aggregates": ["rolling_avg_sensor_data1m", ...], // continuous aggregates to refresh and describe
//     "checks": [{"name": "x", "sql": "SELECT ..."}]    // extra queries; their rows are reported
//   }
// Exit status: 0 when the result was printed (look at "ok" and "errors"), 2 on bad usage,
// 3 when PGlite itself could not start.

import { readFileSync } from 'node:fs';
import { openCommunityEdition } from './pglite.mjs';

const started = Date.now();
const result = {
  ok: false,
  license: null,
  timescaledbVersion: null,
  postgresVersion: null,
  statements: { total: 0, ran: 0, ranSecondTime: 0, previousTotal: 0, previousRan: 0 },
  hypertable: null,
  jobsAfterPreviousRun: [],
  jobsAfterFirstRun: [],
  jobsAfterSecondRun: [],
  rowsInserted: 0,
  rowCapJob: { jobId: null, count: 0, config: null, scheduleInterval: null, ran: false },
  rowsBeforeRowCap: null,
  rowsAfterRowCap: null,
  maxTimestampBefore: null,
  maxTimestampAfter: null,
  minTimestampBefore: null,
  minTimestampAfter: null,
  aggregates: {},
  realTime: null,
  checks: {},
  errors: [],
  elapsedMs: 0,
};

function fail(stage, err, extra = {}) {
  result.errors.push({ stage, message: String(err && err.message ? err.message : err), ...extra });
}

function summary(sql) {
  const lines = sql.trim().split('\n').map((l) => l.trim());
  if (lines[0].startsWith('DO $$')) {
    const doing = lines.find((l) => /^(PERFORM|CREATE|ALTER|IF|FOR)\b/.test(l));
    if (doing) return 'DO: ' + doing;
  }
  return lines[0];
}

function quoteIdent(name) {
  return '"' + String(name).replace(/"/g, '""') + '"';
}

function quoteLiteral(s) {
  return "'" + String(s).replace(/'/g, "''") + "'";
}

function jsonable(v) {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // PGlite returns intervals as strings and jsonb as objects already.
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = jsonable(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(jsonable);
  return v;
}

function print(exitCode) {
  result.elapsedMs = Date.now() - started;
  result.ok = result.errors.length === 0;
  process.stdout.write(JSON.stringify(jsonable(result), null, 2) + '\n');
  process.exit(exitCode);
}

if (process.argv.length < 3) {
  process.stderr.write('usage: node check-ddl.mjs INPUT.json\n');
  process.exit(2);
}
let input;
try {
  input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch (e) {
  process.stderr.write(`cannot read ${process.argv[2]}: ${e.message}\n`);
  process.exit(2);
}
const table = input.table;
const statements = input.statements || [];
if (!table || !Array.isArray(statements) || statements.length === 0) {
  process.stderr.write('INPUT.json needs "table" and a non-empty "statements" array\n');
  process.exit(2);
}
const previousStatements = Array.isArray(input.previousStatements) ? input.previousStatements : [];
const rowCapJob = input.rowCapJob || `limit_${table}_rows_job`;
const aggregates = input.aggregates || [];
const sampleRows = Number.isInteger(input.sampleRows) ? input.sampleRows : 1500;
const spacing = Number.isInteger(input.sampleSpacingSeconds) ? input.sampleSpacingSeconds : 10;
result.statements.total = statements.length;

let db;
try {
  db = await openCommunityEdition();
} catch (e) {
  fail('start', e);
  result.elapsedMs = Date.now() - started;
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.exit(3);
}

async function one(sql, params) {
  const r = await db.query(sql, params);
  return r.rows[0];
}

async function jobs() {
  const r = await db.query(
    `SELECT job_id, proc_name, hypertable_name, schedule_interval::text AS schedule_interval, config
       FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY job_id`);
  return r.rows;
}

// The provisioner's transaction: advisory lock, then every statement.
async function provision(stage, list = statements) {
  let ran = 0;
  try {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(input.lockKey ?? '0')]);
      for (let i = 0; i < list.length; i++) {
        try {
          await tx.query(list[i]);
          ran++;
        } catch (e) {
          fail(stage, e, { index: i, statement: summary(list[i]) });
          throw e;
        }
      }
    });
  } catch (e) {
    if (!result.errors.some((x) => x.stage === stage)) fail(stage, e);
  }
  return ran;
}

try {
  const info = await one(
    `SELECT current_setting('timescaledb.license', true) AS license,
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS version,
            current_setting('server_version') AS pg`);
  result.license = info.license;
  result.timescaledbVersion = info.version;
  result.postgresVersion = info.pg;

  if (previousStatements.length > 0) {
    result.statements.previousTotal = previousStatements.length;
    result.statements.previousRan = await provision('provision-previous', previousStatements);
    result.jobsAfterPreviousRun = await jobs();
  }
  result.statements.ran = await provision('provision');
  result.jobsAfterFirstRun = await jobs();
  if (input.runTwice !== false) {
    result.statements.ranSecondTime = await provision('provision-again');
    result.jobsAfterSecondRun = await jobs();
  }

  result.hypertable = (await db.query(
    `SELECT hypertable_name, num_dimensions FROM timescaledb_information.hypertables
      WHERE hypertable_name = $1`, [table])).rows[0] || null;
  if (result.hypertable) {
    const d = await one(
      `SELECT column_name, time_interval::text AS time_interval FROM timescaledb_information.dimensions
        WHERE hypertable_name = $1`, [table]);
    result.hypertable.dimension = d || null;
  }

  const t = quoteIdent(table);
  const stats = async () => one(
    `SELECT count(*)::int AS n, min("timestamp") AS min, max("timestamp") AS max FROM ${t}`);

  // Sample rows: sampleRows rows, spacing seconds apart, the newest one minute ago, 5 nodes.
  try {
    await db.query(
      `INSERT INTO ${t} ("timestamp", nodeid, clientid, sensorname, tagname, value, quality)
       SELECT now() - interval '60 seconds' - g * interval '${spacing} seconds',
              'ns=2;s=Node' || (g % 5), 'client-1', 'sensor' || (g % 5), 'tag' || (g % 5), g, 0
         FROM generate_series(0, ${sampleRows - 1}) AS g`);
    result.rowsInserted = sampleRows;
  } catch (e) {
    fail('insert', e);
  }

  async function refreshAll(stage) {
    for (const view of aggregates) {
      const a = (result.aggregates[view] ??= { refreshed: false, refreshedAfterRowCap: false });
      try {
        await db.query(`CALL refresh_continuous_aggregate(${quoteLiteral(quoteIdent(view))}, NULL, NULL)`);
        a[stage] = true;
      } catch (e) {
        fail(stage, e, { view });
      }
    }
  }

  await refreshAll('refreshed');

  const before = await stats();
  result.rowsBeforeRowCap = before.n;
  result.minTimestampBefore = before.min;
  result.maxTimestampBefore = before.max;

  const capJobs = (await db.query(
    `SELECT job_id, config, schedule_interval::text AS schedule_interval FROM timescaledb_information.jobs
      WHERE proc_name = $1 ORDER BY job_id`, [rowCapJob])).rows;
  result.rowCapJob.count = capJobs.length;
  if (capJobs.length > 0) {
    result.rowCapJob.jobId = capJobs[0].job_id;
    result.rowCapJob.config = capJobs[0].config;
    result.rowCapJob.scheduleInterval = capJobs[0].schedule_interval;
    try {
      await db.query(`CALL run_job(${Number(capJobs[0].job_id)})`);
      result.rowCapJob.ran = true;
    } catch (e) {
      fail('run_job', e, { jobId: capJobs[0].job_id });
    }
  } else {
    fail('run_job', `no job with proc_name ${rowCapJob}`);
  }
  const after = await stats();
  result.rowsAfterRowCap = after.n;
  result.minTimestampAfter = after.min;
  result.maxTimestampAfter = after.max;

  await refreshAll('refreshedAfterRowCap');

  for (const view of aggregates) {
    const a = (result.aggregates[view] ??= {});
    try {
      const cagg = (await db.query(
        `SELECT materialized_only FROM timescaledb_information.continuous_aggregates WHERE view_name = $1`,
        [view])).rows[0];
      a.continuous = !!cagg;
      a.materializedOnly = cagg ? cagg.materialized_only : null;
      a.columns = (await db.query(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [view])).rows;
      a.rows = (await one(`SELECT count(*)::int AS n FROM ${quoteIdent(view)}`)).n;
      a.policies = (await db.query(
        `SELECT job_id, schedule_interval::text AS schedule_interval, config FROM timescaledb_information.jobs
          WHERE proc_name = 'policy_refresh_continuous_aggregate' AND hypertable_name = $1`, [view])).rows;
      if (a.columns.some((c) => c.column_name === 'sample_count')) {
        a.sampleCountSum = (await one(`SELECT coalesce(sum(sample_count), 0)::int AS s FROM ${quoteIdent(view)}`)).s;
      }
    } catch (e) {
      fail('describe', e, { view });
    }
  }

  // Real-time aggregation: a row newer than anything materialised shows up without a refresh.
  const countView = aggregates.find((v) => (result.aggregates[v]?.columns || [])
    .some((c) => c.column_name === 'sample_count'));
  if (countView) {
    try {
      const q = `SELECT coalesce(sum(sample_count), 0)::int AS s FROM ${quoteIdent(countView)}`;
      const s0 = (await one(q)).s;
      await db.query(
        `INSERT INTO ${t} ("timestamp", nodeid, clientid, sensorname, tagname, value, quality)
         VALUES (now(), 'ns=2;s=Node0', 'client-1', 'sensor0', 'tag0', 1, 0)`);
      const s1 = (await one(q)).s;
      result.realTime = { view: countView, before: s0, after: s1, visible: s1 === s0 + 1 };
    } catch (e) {
      fail('real-time', e);
    }
  }

  for (const check of input.checks || []) {
    try {
      result.checks[check.name] = (await db.query(check.sql)).rows;
    } catch (e) {
      fail('check', e, { check: check.name });
    }
  }
} catch (e) {
  fail('checker', e);
}

try {
  await db.close();
} catch (e) {
  // closing a WebAssembly instance that failed is not worth a report
}
print(0);
