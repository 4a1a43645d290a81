package org.eclipse.kura.configuration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Stand-in for Kura's ConfigurationService: only the constant OPC Scraper reads. The real
 * interface has many methods; nothing here calls them.
 */
@ProviderType
public interface ConfigurationService {

    /** The property naming a component instance, the name an admin typed in the console. */
    String KURA_SERVICE_PID = "kura.service.pid";
}
