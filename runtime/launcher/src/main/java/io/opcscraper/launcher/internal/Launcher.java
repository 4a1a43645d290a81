package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * Brings the Kura-like runtime to the state of a configured gateway: installs the deployment
 * package named by framework property {@value #DP_PROPERTY} through DeploymentAdmin (as Kura's
 * deployment agent does), then creates the instances listed in the JSON file named by
 * {@value #CONFIG_PROPERTY} through the Kura emulator (metatype defaults merged, passwords
 * encrypted, instances named by kura.service.pid). Every failure is logged with its file and
 * field; the framework keeps running.
 */
@Component(immediate = true)
public final class Launcher {

    static final String DP_PROPERTY = "opcscraper.dp";
    static final String CONFIG_PROPERTY = "opcscraper.config";

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final BundleContext context;
    private final DeploymentAdmin deploymentAdmin;
    private final KuraConfigurator configurator;
    private final Thread worker;

    @Activate
    public Launcher(BundleContext context, @Reference DeploymentAdmin deploymentAdmin,
            @Reference KuraConfigurator configurator) {
        this.context = context;
        this.deploymentAdmin = deploymentAdmin;
        this.configurator = configurator;
        // Not on SCR's thread: installing the .dp starts bundles whose components SCR activates.
        this.worker = new Thread(this::run, "opcscraper-launcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Deactivate
    void deactivate() {
        this.worker.interrupt();
    }

    private void run() {
        long start = System.nanoTime();
        boolean dpOk = installDeploymentPackage();
        int[] counts = dpOk ? createInstances() : new int[] {0, 0};
        String sinceJvm = ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms since JVM start").orElse("");
        if (dpOk && counts[0] == counts[1]) {
            LOG.info("Launcher ready: deployment package installed, {} instance(s) created, in {} ms ({})",
                    counts[0], millis(start), sinceJvm);
        } else {
            LOG.error("Launcher done WITH ERRORS (see above): deployment package {}, {} of {} instance(s) created, "
                    + "in {} ms ({}); the framework keeps running", dpOk ? "installed" : "NOT installed",
                    counts[0], counts[1], millis(start), sinceJvm);
        }
    }

    private boolean installDeploymentPackage() {
        String value = property(DP_PROPERTY);
        if (value == null || value.isBlank()) {
            LOG.error("Framework property {} is not set: no deployment package to install "
                    + "(start with -D{}=dp/target/opc-scraper_<version>.dp)", DP_PROPERTY, DP_PROPERTY);
            return false;
        }
        Path file = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            LOG.error("{}={}: deployment package file {} does not exist (build it with scripts/build)",
                    DP_PROPERTY, value, file);
            return false;
        }
        long start = System.nanoTime();
        LOG.info("Installing deployment package {} through DeploymentAdmin", file);
        try (InputStream in = Files.newInputStream(file)) {
            DeploymentPackage dp = this.deploymentAdmin.installDeploymentPackage(in);
            LOG.info("Installed deployment package {} {} ({} bundles) from {} in {} ms", dp.getName(),
                    dp.getVersion(), dp.getBundleInfos().length, file, millis(start));
            return true;
        } catch (Exception e) {
            LOG.error("{}={}: installing deployment package {} failed after {} ms: {}", DP_PROPERTY, value, file,
                    millis(start), e.toString(), e);
            return false;
        }
    }

    /** @return {created, listed} */
    private int[] createInstances() {
        String value = property(CONFIG_PROPERTY);
        if (value == null || value.isBlank()) {
            LOG.warn("Framework property {} is not set: no instances to create", CONFIG_PROPERTY);
            return new int[] {0, 0};
        }
        Path file = Paths.get(value).toAbsolutePath().normalize();
        List<Instance> instances;
        try {
            instances = read(file);
        } catch (ConfigException e) {
            LOG.error("{}={}: {}: {}", CONFIG_PROPERTY, value, file, e.getMessage());
            return new int[] {0, 1};
        }
        LOG.info("Creating {} instance(s) from {}", instances.size(), file);
        int created = 0;
        for (Instance instance : instances) {
            long start = System.nanoTime();
            try {
                if (this.configurator.getConfiguration(instance.name).isPresent()) {
                    this.configurator.updateConfiguration(instance.name, instance.properties);
                    LOG.info("Updated existing {} instance '{}' in {} ms", instance.factoryPid, instance.name,
                            millis(start));
                } else {
                    String pid = this.configurator.createFactoryConfiguration(instance.factoryPid, instance.name,
                            instance.properties);
                    LOG.info("Instance created: {} '{}' as {} in {} ms", instance.factoryPid, instance.name, pid,
                            millis(start));
                }
                created++;
            } catch (Exception e) {
                LOG.error("{}: {} (factoryPid {}, name '{}'): {}", file, instance.field, instance.factoryPid,
                        instance.name, e.getMessage());
            }
        }
        return new int[] {created, instances.size()};
    }

    static final class Instance {
        final String field;
        final String factoryPid;
        final String name;
        final Map<String, Object> properties;

        Instance(String field, String factoryPid, String name, Map<String, Object> properties) {
            this.field = field;
            this.factoryPid = factoryPid;
            this.name = name;
            this.properties = properties;
        }
    }

    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code {"instances":[{"factoryPid":..,"name":..,"properties":{..}}, ..]}} with
     * minimal-json, the JSON library a Kura gateway already runs.
     */
    static List<Instance> read(Path file) throws ConfigException {
        JsonValue root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonValue.readFrom(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read the file: " + e);
        } catch (ParseException e) {
            throw new ConfigException("not valid JSON: line " + e.getLine() + ", column " + e.getColumn() + ": "
                    + e.getMessage());
        }
        JsonValue list = root.isObject() ? root.asObject().get("instances") : null;
        if (list == null || !list.isArray()) {
            throw new ConfigException("the document must be a JSON object whose member \"instances\" is an array");
        }
        List<Instance> instances = new ArrayList<>();
        int i = 0;
        for (JsonValue item : list.asArray()) {
            String field = "instances[" + i++ + "]";
            if (!item.isObject()) {
                throw new ConfigException(field + ": must be an object");
            }
            JsonObject map = item.asObject();
            String factoryPid = text(map, field, "factoryPid");
            String name = text(map, field, "name");
            JsonValue props = map.get("properties");
            Map<String, Object> properties = new LinkedHashMap<>();
            if (props != null) {
                if (!props.isObject()) {
                    throw new ConfigException(field + ".properties: must be an object");
                }
                for (JsonObject.Member member : props.asObject()) {
                    properties.put(member.getName(),
                            propertyValue(member.getValue(), field + ".properties." + member.getName()));
                }
            }
            instances.add(new Instance(field, factoryPid, name, properties));
        }
        return instances;
    }

    private static String text(JsonObject map, String field, String member) throws ConfigException {
        JsonValue value = map.get(member);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new ConfigException(field + "." + member + ": missing or not a non-empty string");
        }
        return value.asString();
    }

    /** JSON strings, booleans, numbers (whole: Long, else Double) and arrays of strings. */
    private static Object propertyValue(JsonValue value, String field) throws ConfigException {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            String literal = value.toString();
            return literal.matches("-?\\d+") ? (Object) Long.valueOf(value.asLong()) : (Object) value.asDouble();
        }
        if (value.isArray()) {
            List<JsonValue> list = value.asArray().values();
            String[] strings = new String[list.size()];
            for (int i = 0; i < strings.length; i++) {
                if (!list.get(i).isString()) {
                    throw new ConfigException(field + "[" + i + "]: arrays may only hold strings");
                }
                strings[i] = list.get(i).asString();
            }
            return strings;
        }
        throw new ConfigException(field + ": must be a string, number, boolean or array of strings");
    }

    /** A framework property; bnd's launcher also passes -D system properties, read them as fallback. */
    private String property(String key) {
        String value = this.context.getProperty(key);
        return value != null ? value : System.getProperty(key);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
