package io.opcscraper.itests.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.kura.emulator.KuraConfigurator;
import io.opcscraper.simulator.PlantServer;

/**
 * The OPC UA components in the Kura 5.5 profile, configured through the Kura emulator as the
 * console would, collecting from the plant simulator in the same framework.
 */
class OpcUaComponentsTest {

    private static final String CONNECTION = "io.opcscraper.opcua.Connection";
    private static final String DISCOVERY = "io.opcscraper.opcua.Discovery";
    private static final String POLLER = "io.opcscraper.opcua.Poller";
    private static final long TIMEOUT_S = 60;

    @InjectBundleContext
    static BundleContext context;

    static PlantServer server;
    static Path work;

    private final List<String> created = new ArrayList<>();
    private ServiceRegistration<SampleSink> sinkRegistration;

    @BeforeAll
    static void startServer() throws Exception {
        work = Files.createDirectories(Paths.get(System.getProperty("opcscraper.test.dir", "target/test-work")));
        server = PlantServer.builder().tags(400).securityPolicies("None").changeRateHz(5).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void cleanUp(@InjectService KuraConfigurator configurator) throws Exception {
        for (String name : this.created) {
            configurator.deleteConfiguration(name);
        }
        if (this.sinkRegistration != null) {
            this.sinkRegistration.unregister();
        }
    }

    private void create(KuraConfigurator configurator, String pid, String name, Map<String, ?> properties)
            throws Exception {
        configurator.createFactoryConfiguration(pid, name, properties);
        this.created.add(name);
    }

    private LatchSink registerSink(String name, int expectedNodes) {
        LatchSink sink = new LatchSink(expectedNodes);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("kura.service.pid", name);
        this.sinkRegistration = context.registerService(SampleSink.class, sink, properties);
        return sink;
    }

    private Map<String, Object> connection(String pkiName) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("endpoint.url", server.endpointUrl());
        properties.put("security.policy", "None");
        properties.put("security.mode", "None");
        properties.put("trust.all.servers", true);
        properties.put("pki.dir", work.resolve(pkiName).toString());
        return properties;
    }

    @Test
    void collectsFromThePlantThroughInstancesConfiguredAsKuraWould(@InjectService KuraConfigurator configurator)
            throws Exception {
        LatchSink sink = registerSink("test-sink", 100);
        create(configurator, CONNECTION, "plant-connection", connection("pki-collect"));
        create(configurator, DISCOVERY, "plant-discovery",
                Map.of("connection.target", "(kura.service.pid=plant-connection)", "include.patterns", "Plant/Line*/**"));
        create(configurator, POLLER, "plant-poller", Map.of("discovery.target", "(kura.service.pid=plant-discovery)",
                "writer.target", "(kura.service.pid=test-sink)", "interval.ms", 500));

        assertTrue(sink.awaitNodes(TIMEOUT_S), "samples of 100 nodes within " + TIMEOUT_S + " s");
        Sample sample = sink.samples().get(0);
        assertEquals("02:00:00:00:00:42/plant-connection", sample.clientId(),
                "clientid defaults to the gateway's MAC address (Kura's SystemService) and the connection's name");
        assertTrue(sample.nodeId().startsWith("nsu=" + server.namespaceUri()), sample.nodeId());
        assertTrue(sink.samples().stream().anyMatch(Sample::isGood));
    }

    /**
     * An instance with an invalid value, one property at a time, for every property of the three
     * PIDs but the reference targets (an invalid target filter is SCR's to refuse): the instance stays registered
     * and active (so the admin can correct it in the console) and a valid sibling keeps running.
     */
    @Test
    void invalidValuesAreRefusedWhileTheComponentStaysRegisteredAndOthersKeepRunning(
            @InjectService KuraConfigurator configurator, @InjectService ServiceComponentRuntime scr)
            throws Exception {
        LatchSink sink = registerSink("steady-sink", 20);
        create(configurator, CONNECTION, "steady-connection", connection("pki-steady"));
        create(configurator, DISCOVERY, "steady-discovery",
                Map.of("connection.target", "(kura.service.pid=steady-connection)", "include.patterns", "Plant/Line*/**"));
        create(configurator, POLLER, "steady-poller", Map.of("discovery.target", "(kura.service.pid=steady-discovery)",
                "writer.target", "(kura.service.pid=steady-sink)", "interval.ms", 500));
        assertTrue(sink.awaitNodes(TIMEOUT_S));
        long steadyService = serviceId("steady-connection");

        Map<String, Object> invalid = new HashMap<>();
        invalid.put("endpoint.url", "http://not-opc-ua");
        invalid.put("security.policy", "Basic512");
        invalid.put("security.mode", "Encrypt");
        invalid.put("identity.type", "kerberos");
        invalid.put("identity.keystore", "relative/path.p12");
        invalid.put("pki.dir", "relative/pki");
        invalid.put("trust.all.servers", "maybe");
        invalid.put("request.timeout.ms", -5);
        invalid.put("session.timeout.ms", 0);
        invalid.put("keepalive.interval.ms", "soon");
        invalid.put("reconnect.max.delay.ms", Long.MAX_VALUE);
        invalid.put("client.id", "line\nbreak");
        invalid.put("endpoint.use.configured.address", 42);
        int i = 0;
        for (Map.Entry<String, Object> entry : invalid.entrySet()) {
            String name = "invalid-" + i++;
            create(configurator, CONNECTION, name, Map.of(entry.getKey(), entry.getValue()));
            ServiceReference<?> ref = awaitComponent(name);
            assertActive(scr, ref, CONNECTION + " with invalid " + entry.getKey());
        }
        Map<String, Object> invalidDiscovery = Map.of("browse.roots", "Objects", "max.depth", 0, "max.nodes", -1,
                "node.ids", "not a node id", "follow.properties", "perhaps", "rebrowse.interval.s", "hourly");
        for (Map.Entry<String, Object> entry : invalidDiscovery.entrySet()) {
            String name = "invalid-" + i++;
            create(configurator, DISCOVERY, name, Map.of("connection.target", "(kura.service.pid=steady-connection)",
                    entry.getKey(), entry.getValue()));
            assertActive(scr, awaitComponent(name), DISCOVERY + " with invalid " + entry.getKey());
        }
        Map<String, Object> invalidPoller = Map.of("mode", "push", "interval.ms", 0, "sampling.interval.ms", -1,
                "queue.size", 0, "deadband.type", "relative", "deadband.value", -3.5, "timestamp.source", "sundial",
                "store.on.change", "often", "heartbeat.interval.ms", "never", "reads.in.flight", 1000);
        for (Map.Entry<String, Object> entry : invalidPoller.entrySet()) {
            String name = "invalid-" + i++;
            create(configurator, POLLER, name, Map.of("discovery.target", "(kura.service.pid=steady-discovery)",
                    "writer.target", "(kura.service.pid=steady-sink)", entry.getKey(), entry.getValue()));
            assertActive(scr, awaitComponent(name), POLLER + " with invalid " + entry.getKey());
        }
        assertEquals(steadyService, serviceId("steady-connection"), "the valid connection was restarted");
        assertTrue(waitForMoreSamples(sink, sink.samples().size()), "the valid chain kept collecting");
    }

    private static boolean waitForMoreSamples(LatchSink sink, int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        synchronized (sink) {
            while (sink.samples().size() <= before && System.nanoTime() < deadline) {
                sink.wait(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
            }
            return sink.samples().size() > before;
        }
    }

    private static void assertActive(ServiceComponentRuntime scr, ServiceReference<?> ref, String what) {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(ref.getBundle(),
                (String) ref.getProperty("component.name"));
        boolean active = scr.getComponentConfigurationDTOs(description).stream()
                .anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE
                        && ref.getProperty("kura.service.pid").equals(c.properties.get("kura.service.pid")));
        assertTrue(active, what + " is not active");
    }

    private static long serviceId(String name) throws InterruptedException {
        return (Long) awaitComponent(name).getProperty(Constants.SERVICE_ID);
    }

    private static ServiceReference<?> awaitComponent(String name) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(&(objectClass="
                    + ConfigurableComponent.class.getName() + ")(kura.service.pid=" + name + "))"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker.open();
        try {
            if (tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_S)) == null) {
                throw new AssertionError(name + " did not register as ConfigurableComponent");
            }
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }
}
