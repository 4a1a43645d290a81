package io.opcscraper.opcua.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configuration maps as ConfigurationAdmin would hand them to our components. */
public final class Components {

    private Components() {
    }

    /** A Connection configuration: endpoint, PKI in a test folder, quick reconnects, trusting the test server. */
    public static Map<String, Object> connection(String name, String endpointUrl, Path pki) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", name);
        properties.put("endpoint.url", endpointUrl);
        properties.put("pki.dir", pki.toString());
        properties.put("security.policy", "None");
        properties.put("security.mode", "None");
        properties.put("trust.all.servers", true);
        properties.put("reconnect.max.delay.ms", 2000);
        properties.put("request.timeout.ms", 5000);
        return properties;
    }

    public static Map<String, Object> discovery(String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", name);
        return properties;
    }

    public static Map<String, Object> poller(String name, String mode, int intervalMs) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", name);
        properties.put("mode", mode);
        properties.put("interval.ms", intervalMs);
        return properties;
    }
}
