package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the Felix web console's password from the environment variable {@value #PASSWORD_ENV}
 * (./run generates one per run), through the console's own configuration PID. The environment,
 * unlike a {@code -Dfelix.webconsole.password} on the command line, is not shown by {@code ps}.
 */
final class ConsoleCredentials {

    static final String PASSWORD_ENV = "OPCSCRAPER_CONSOLE_PASSWORD";
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCredentials.class);

    private ConsoleCredentials() {
    }

    static void apply(ConfigurationAdmin configAdmin, String user) {
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            return;
        }
        try {
            Configuration configuration = configAdmin.getConfiguration(CONSOLE_PID, null);
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("username", user);
            properties.put("password", password);
            configuration.update(properties);
        } catch (IOException e) {
            Say.error(LOG, "cannot set the web console's password from {}: {}", PASSWORD_ENV, e.getMessage());
        }
    }
}
