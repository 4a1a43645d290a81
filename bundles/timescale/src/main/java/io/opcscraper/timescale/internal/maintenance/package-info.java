/**
 * What keeps the table within its bounds where the database does not do it itself: the row cap and
 * retention ({@code Maintenance}, {@code Retention}), the community edition's per-clientid row-cap
 * jobs ({@code ClientRowCapJobs}), and the health of the database's jobs ({@code JobHealth},
 * {@code JobStats}).
 */
package io.opcscraper.timescale.internal.maintenance;
