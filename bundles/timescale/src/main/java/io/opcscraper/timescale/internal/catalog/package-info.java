/** The pollers' catalogs into the shared {@code nodes} table ({@code CatalogWriter}). */
package io.opcscraper.timescale.internal.catalog;
