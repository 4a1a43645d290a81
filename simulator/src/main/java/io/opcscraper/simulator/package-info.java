/**
 * A plant simulator: an OPC UA server (Eclipse Milo 0.6.16 server SDK, from bundle
 * {@code io.opcscraper.milo}) for tests, local runs and benchmarks. Start one with
 * {@link io.opcscraper.simulator.PlantServer#builder()}. The API names only JDK types, so a
 * consumer carries no uses-constraint on Milo.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.opcscraper.simulator;
