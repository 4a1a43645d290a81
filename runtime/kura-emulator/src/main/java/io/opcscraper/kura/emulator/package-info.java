/**
 * The Kura-like runtime's configuration front door, used by tests and local runs the way Kura's
 * web console uses Kura's ConfigurationService, and Kura's snapshots of the configurations, which a
 * boot re-creates.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.opcscraper.kura.emulator;
