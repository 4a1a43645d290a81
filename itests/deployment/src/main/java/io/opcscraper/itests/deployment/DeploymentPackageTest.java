package io.opcscraper.itests.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.deploymentadmin.BundleInfo;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * The built .dp in the Kura-like runtime (Kura 5.5 profile), installed as Kura's deployment
 * agent does it: through DeploymentAdmin.
 */
class DeploymentPackageTest {

    /** The metatype types Kura's console accepts (no Character). */
    private static final Set<Integer> KURA_AD_TYPES = Set.of(AttributeDefinition.STRING, AttributeDefinition.LONG,
            AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT, AttributeDefinition.INTEGER,
            AttributeDefinition.BYTE, AttributeDefinition.BOOLEAN, AttributeDefinition.SHORT,
            AttributeDefinition.PASSWORD);

    private static final Pattern REQUIRED_NAME = Pattern
            .compile("\\((osgi\\.wiring\\.package|osgi\\.extender)=([^)]+)\\)");
    private static final Pattern VERSION_FLOOR = Pattern.compile("\\(version>=([0-9.]+)\\)");

    @InjectBundleContext
    static BundleContext context;

    @RegisterExtension
    static final InstalledPackage installed = new InstalledPackage();

    @Test
    void shipsExactlyOurBundlesAndEachIsActive() {
        assertEquals(BuiltPackage.NAME, installed.get().getName());
        Set<String> names = Arrays.stream(installed.get().getBundleInfos()).map(BundleInfo::getSymbolicName)
                .collect(Collectors.toSet());
        assertEquals(KuraProfile.OUR_BUNDLES, names, "the .dp must hold our bundles and nothing Kura runs");
        for (String name : names) {
            Bundle bundle = installed.get().getBundle(name);
            assertNotNull(bundle, name);
            assertEquals(Bundle.ACTIVE, bundle.getState(), name + " is not ACTIVE");
        }
    }

    /**
     * Equinox 3.16 exports newer framework packages than some Kura 5.x gateways (toolchain.md
     * measured org.osgi.framework 1.9 there), so resolving here is not proof enough: no import
     * of ours may ask for more than Kura 5.5 provides.
     */
    @Test
    void noRequirementAsksForMoreThanKura55Provides() {
        for (BundleInfo info : installed.get().getBundleInfos()) {
            Bundle bundle = installed.get().getBundle(info.getSymbolicName());
            for (BundleRequirement requirement : bundle.adapt(BundleRevision.class).getDeclaredRequirements(null)) {
                String filter = requirement.getDirectives().getOrDefault("filter", "");
                Matcher name = REQUIRED_NAME.matcher(filter);
                Matcher floor = VERSION_FLOOR.matcher(filter);
                if (!name.find() || !floor.find()) {
                    continue;
                }
                Version ceiling = KuraProfile.KURA55_EXPORTS.get(name.group(2));
                if (ceiling != null) {
                    assertTrue(Version.parseVersion(floor.group(1)).compareTo(ceiling) <= 0, info.getSymbolicName()
                            + " requires " + name.group(2) + " " + floor.group(1) + ", Kura 5.5 has " + ceiling);
                }
            }
        }
    }

    @Test
    void theJdbcDriverTravelsInsideTheTimescaleBundle() throws Exception {
        Bundle timescale = installed.get().getBundle("io.opcscraper.timescale");
        Class<?> driver = timescale.loadClass("org.postgresql.Driver");
        assertEquals(timescale, org.osgi.framework.FrameworkUtil.getBundle(driver));
    }

    @Test
    void metatypeOfEachPidIsWhatKurasConsoleAccepts(@InjectService MetaTypeService metaType) {
        for (String pid : KuraProfile.PIDS) {
            Bundle bundle = installed.get().getBundle(KuraProfile.BUNDLE_OF_PID.get(pid));
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            assertNotNull(info, "no metatype in " + bundle.getSymbolicName());
            assertTrue(Arrays.asList(info.getFactoryPids()).contains(pid), pid + " is not a factory PID");
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            assertEquals(pid, ocd.getID());
            AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            assertTrue(ads.length > 0, pid + " has no attributes");
            for (AttributeDefinition ad : ads) {
                assertTrue(KURA_AD_TYPES.contains(ad.getType()), pid + " " + ad.getID() + " type " + ad.getType());
                assertNotNull(ad.getName(), pid + " " + ad.getID() + " has no name");
                assertNotNull(ad.getDescription(), pid + " " + ad.getID() + " has no description");
            }
        }
    }

    @Test
    void eachComponentRegistersAsConfigurableComponentOnceConfigured(@InjectService KuraConfigurator configurator,
            @InjectService CryptoService crypto, @InjectService ServiceComponentRuntime scr) throws Exception {
        Set<String> created = new HashSet<>();
        try {
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                Map<String, ?> properties = KuraProfile.WRITER.equals(pid) ? Map.of("db.password", "s3cret-Pw")
                        : Map.of();
                configurator.createFactoryConfiguration(pid, name, properties);
                created.add(name);
            }
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                ServiceReference<?> ref = Services.await(context, "(&(objectClass="
                        + ConfigurableComponent.class.getName() + ")(kura.service.pid=" + name + "))");
                assertEquals(pid, ref.getProperty("service.factoryPid"), name);
                assertNotNull(ref.getProperty("service.pid"), name + " has no service.pid");
                assertEquals(KuraProfile.BUNDLE_OF_PID.get(pid), ref.getBundle().getSymbolicName());
                // Immediate components: active whether or not anybody uses their services, as a
                // connection or a writer must be (a delayed component would be SATISFIED only).
                ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(ref.getBundle(), pid);
                assertNotNull(description, pid);
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state, pid + " is not active");
                }
            }
            // Kura stores Password properties encrypted; the component gets the encrypted form.
            Object stored = configurator.getConfiguration("timescale-writer").orElseThrow().get("db.password");
            assertNotEquals("s3cret-Pw", stored);
            assertEquals("s3cret-Pw", new String(crypto.decryptAes(((String) stored).toCharArray())));
        } finally {
            for (String name : created) {
                configurator.deleteConfiguration(name);
            }
        }
    }
}
