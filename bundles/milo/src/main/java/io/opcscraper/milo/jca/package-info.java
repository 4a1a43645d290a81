/**
 * JCA provider set-up that Milo 0.6 needs for some security policies, owned by the bundle that
 * carries Bouncy Castle privately.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.opcscraper.milo.jca;
