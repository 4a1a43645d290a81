/**
 * OPC Scraper's API: the sample a poller produces and a writer stores, the node catalog a
 * discovery publishes, and the sink a writer offers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.opcscraper.api;
