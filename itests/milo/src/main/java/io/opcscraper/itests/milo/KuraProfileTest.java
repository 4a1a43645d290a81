package io.opcscraper.itests.milo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.test.common.annotation.InjectBundleContext;

/** The tests really run in the Kura 5.5 profile, and Milo comes from our own bundle. */
class KuraProfileTest {

    static final String MILO_BSN = "io.opcscraper.milo";

    @InjectBundleContext
    BundleContext context;

    @Test
    void miloClassesComeFromOurBundle() {
        for (Class<?> type : List.of(OpcUaClient.class, OpcUaServer.class, NodeId.class)) {
            Bundle bundle = FrameworkUtil.getBundle(type);
            assertNotNull(bundle, type + " is not loaded by a bundle");
            assertEquals(MILO_BSN, bundle.getSymbolicName(), type + " loaded by");
        }
        Bundle milo = FrameworkUtil.getBundle(OpcUaClient.class);
        assertEquals(Bundle.ACTIVE, milo.getState(), "state of " + MILO_BSN);
        // Milo's own idea of its version (read from the bundle's X-Stack-Version / X-SDK-Version)
        assertEquals("0.6.16", Stack.VERSION, "Milo stack version");
        assertEquals("0.6.16", OpcUaServer.SDK_VERSION, "Milo SDK version");
    }

    @Test
    void frameworkIsEquinox316() {
        Bundle system = context.getBundle(0);
        assertEquals("org.eclipse.osgi", system.getSymbolicName());
        Version v = system.getVersion();
        assertEquals(3, v.getMajor(), "Equinox " + v);
        assertEquals(16, v.getMinor(), "Equinox " + v);
    }

    @Test
    void miloIsWiredToSlf4j17() {
        Bundle milo = FrameworkUtil.getBundle(OpcUaClient.class);
        BundleWiring wiring = milo.adapt(BundleWiring.class);
        Optional<Bundle> slf4j = wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
            .filter(w -> "org.slf4j".equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))
            .map(BundleWire::getProvider)
            .map(r -> r.getBundle())
            .findFirst();
        assertTrue(slf4j.isPresent(), "org.slf4j of " + MILO_BSN + " is not wired");
        assertEquals("slf4j.api", slf4j.get().getSymbolicName());
        Version v = slf4j.get().getVersion();
        assertEquals(1, v.getMajor(), "SLF4J " + v);
        assertEquals(7, v.getMinor(), "SLF4J " + v);

        // and no SLF4J 2 anywhere in the framework
        Arrays.stream(context.getBundles())
            .filter(b -> "slf4j.api".equals(b.getSymbolicName()))
            .forEach(b -> assertEquals(1, b.getVersion().getMajor(), "SLF4J bundle " + b.getVersion()));
    }

    @Test
    void kuraServicesRunAtKuraVersions() {
        assertActive("org.apache.felix.scr", "2.1.16");
        assertActive("org.eclipse.equinox.cm", "1.4.400");
        assertActive("org.eclipse.equinox.metatype", "1.5.300");
        assertActive("org.apache.felix.deploymentadmin", "0.9.5");
        assertActive("org.apache.felix.eventadmin", "1.6.4");
        assertActive("org.apache.logging.log4j.slf4j-impl", "2.19.0");
        assertActive("org.apache.logging.log4j.core", "2.19.0");
        // Kura's ConfigAdmin is Equinox's, not Felix's.
        Arrays.stream(context.getBundles()).forEach(b -> assertTrue(
            !"org.apache.felix.configadmin".equals(b.getSymbolicName()), "Felix ConfigAdmin must not run"));
        assertNotNull(context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin"), "ConfigurationAdmin service");
        assertNotNull(context.getServiceReference("org.osgi.service.metatype.MetaTypeService"), "MetaTypeService service");
        assertNotNull(context.getServiceReference("org.osgi.service.deploymentadmin.DeploymentAdmin"), "DeploymentAdmin service");
    }

    private void assertActive(String bsn, String version) {
        Bundle bundle = Arrays.stream(context.getBundles())
            .filter(b -> bsn.equals(b.getSymbolicName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(bsn + " is not installed"));
        Version v = bundle.getVersion();
        assertEquals(version, v.getMajor() + "." + v.getMinor() + "." + v.getMicro(), bsn);
        assertEquals(Bundle.ACTIVE, bundle.getState(), bsn + " state");
    }
}
