/**
 * What keeps the table within its bounds where the database does not do it itself: the row cap and
 * retention ({@code Maintenance}, {@code Retention}).
 */
package io.opcscraper.timescale.internal.maintenance;
