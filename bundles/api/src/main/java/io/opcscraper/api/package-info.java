/**
 * OPC Scraper's API: the sample a poller produces and a writer stores, the node catalog a
 * discovery publishes, the sink a writer offers, and the status every component reports.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.opcscraper.api;
