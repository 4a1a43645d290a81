/**
 * The writer's table for tools outside the bundle, such as the benchmark: named, provisioned and
 * fed exactly as the writer does it, without reaching into the bundle's private packages.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.opcscraper.timescale.tooling;
