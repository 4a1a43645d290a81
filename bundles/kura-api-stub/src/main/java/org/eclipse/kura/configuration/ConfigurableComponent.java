package org.eclipse.kura.configuration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Marker interface: a component registered under this interface, with a {@code service.pid}
 * property, is listed and configured in the Kura web console.
 */
@ConsumerType
public interface ConfigurableComponent {
}
