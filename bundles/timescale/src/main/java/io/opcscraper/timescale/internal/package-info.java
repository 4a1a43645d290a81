/**
 * The Writer component ({@code io.opcscraper.timescale.Writer}) and its validated options. The
 * component takes samples into an {@code ingest} and reports its status; everything else lives in
 * the sub-packages, which never import this one:
 * <ul>
 * <li>{@code ingest}: one writer's ingest, its loop, batch dispatch, drop accounting;</li>
 * <li>{@code spool}: the durable spool and its local record of what was committed and sent;</li>
 * <li>{@code ledger}: which sequences committed, and the database's progress tables;</li>
 * <li>{@code batch}: one batch as a binary COPY, isolation and quarantine;</li>
 * <li>{@code maintenance}: row cap (per table or per clientid), retention and the health of the database's jobs;</li>
 * <li>{@code status}: the writer's row of {@code opcscraper_status};</li>
 * <li>{@code catalog}: the shared {@code nodes} table;</li>
 * <li>{@code schema}: names, DDL per edition, provisioning;</li>
 * <li>{@code db}: connections, the failure taxonomy, JDBC steps.</li>
 * </ul>
 */
package io.opcscraper.timescale.internal;
