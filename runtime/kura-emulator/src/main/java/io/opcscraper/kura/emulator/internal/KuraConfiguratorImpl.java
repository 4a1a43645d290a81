package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.kura.emulator.KuraConfigurator;
import io.opcscraper.kura.emulator.KuraSnapshots;

/**
 * What Kura's ConfigurationService does between its web console and ConfigurationAdmin, reduced
 * to what OPC Scraper relies on: factory instances created with location "?" and named by
 * {@code kura.service.pid}, the metatype defaults merged in as Kura's metatype parser reads them
 * (an empty default is no default: the property stays absent), Password properties encrypted,
 * values not checked against the metatype (Kura's REST API and cloud do not check them either),
 * and a snapshot written after each change.
 */
@Component(service = KuraConfigurator.class)
public final class KuraConfiguratorImpl implements KuraConfigurator {

    static final String KURA_SERVICE_PID = "kura.service.pid";
    private static final Logger LOG = LoggerFactory.getLogger(KuraConfiguratorImpl.class);

    private final ConfigurationAdmin configAdmin;
    private final FactoryMetatypes metatypes;
    private final CryptoService crypto;
    private final KuraSnapshots snapshots;

    @Activate
    public KuraConfiguratorImpl(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metaType, @Reference CryptoService crypto, @Reference KuraSnapshots snapshots) {
        this.configAdmin = configAdmin;
        this.metatypes = new FactoryMetatypes(context, metaType);
        this.crypto = crypto;
        this.snapshots = snapshots;
    }

    @Override
    public String createFactoryConfiguration(String factoryPid, String name, Map<String, ?> properties)
            throws IOException {
        if (find(name).isPresent()) {
            throw new IOException("a component named '" + name + "' exists already");
        }
        ObjectClassDefinition ocd = this.metatypes.ocd(factoryPid)
                .orElseThrow(() -> new IOException("no metatype declares the factory PID " + factoryPid));
        Hashtable<String, Object> values = new Hashtable<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            String[] defaults = ad.getDefaultValue();
            // Kura's metatype parser drops an empty default: the property stays absent, not "".
            if (defaults != null && defaults.length == 1 && !defaults[0].isEmpty()) {
                values.put(ad.getID(), typed(ad, defaults[0]));
            }
        }
        values.putAll(encryptPasswords(ocd, properties));
        values.put(KURA_SERVICE_PID, name);
        Configuration configuration = this.configAdmin.createFactoryConfiguration(factoryPid, "?");
        configuration.update(values);
        LOG.info("Created {} instance '{}' as {}", factoryPid, name, configuration.getPid());
        this.snapshots.snapshot();
        return configuration.getPid();
    }

    @Override
    public void updateConfiguration(String name, Map<String, ?> properties) throws IOException {
        Configuration configuration = find(name).orElseThrow(() -> new IOException("no component named '" + name + "'"));
        String pid = configuration.getFactoryPid() != null ? configuration.getFactoryPid() : configuration.getPid();
        Optional<ObjectClassDefinition> ocd = configuration.getFactoryPid() != null ? this.metatypes.ocd(pid)
                : Optional.empty();
        Hashtable<String, Object> values = new Hashtable<>(Dictionaries.toMap(configuration.getProperties()));
        values.putAll(ocd.isPresent() ? encryptPasswords(ocd.get(), properties) : new HashMap<>(properties));
        values.put(KURA_SERVICE_PID, name);
        configuration.update(values);
        LOG.info("Updated '{}' ({} properties changed)", name, properties.size());
        this.snapshots.snapshot();
    }

    @Override
    public void deleteConfiguration(String name) throws IOException {
        Configuration configuration = find(name).orElseThrow(() -> new IOException("no component named '" + name + "'"));
        configuration.delete();
        LOG.info("Deleted '{}'", name);
        this.snapshots.snapshot();
    }

    @Override
    public Optional<Map<String, Object>> getConfiguration(String name) throws IOException {
        return find(name).map(configuration -> Dictionaries.toMap(configuration.getProperties()));
    }

    private Optional<Configuration> find(String name) throws IOException {
        try {
            Configuration[] found = this.configAdmin.listConfigurations("(" + KURA_SERVICE_PID + "=" + escape(name) + ")");
            return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
        } catch (InvalidSyntaxException e) {
            throw new IOException("invalid component name '" + name + "'", e);
        }
    }

    private Map<String, Object> encryptPasswords(ObjectClassDefinition ocd, Map<String, ?> properties)
            throws IOException {
        Map<String, Object> values = new HashMap<>(properties);
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            Object value = values.get(ad.getID());
            if (ad.getType() == AttributeDefinition.PASSWORD && value instanceof String && !((String) value).isEmpty()) {
                try {
                    values.put(ad.getID(), new String(this.crypto.encryptAes(((String) value).toCharArray())));
                } catch (KuraException e) {
                    throw new IOException("cannot encrypt property '" + ad.getID() + "'", e);
                }
            }
        }
        return values;
    }

    /** A metatype default as the type ConfigurationAdmin stores (Password stays a String). */
    private Object typed(AttributeDefinition ad, String value) {
        switch (ad.getType()) {
        case AttributeDefinition.INTEGER:
            return Integer.valueOf(value);
        case AttributeDefinition.LONG:
            return Long.valueOf(value);
        case AttributeDefinition.DOUBLE:
            return Double.valueOf(value);
        case AttributeDefinition.FLOAT:
            return Float.valueOf(value);
        case AttributeDefinition.SHORT:
            return Short.valueOf(value);
        case AttributeDefinition.BYTE:
            return Byte.valueOf(value);
        case AttributeDefinition.BOOLEAN:
            return Boolean.valueOf(value);
        case AttributeDefinition.CHARACTER:
            return value.isEmpty() ? Character.valueOf(' ') : Character.valueOf(value.charAt(0));
        case AttributeDefinition.PASSWORD:
            return encryptDefault(ad, value);
        default:
            return value;
        }
    }

    private Object encryptDefault(AttributeDefinition ad, String value) {
        try {
            return new String(this.crypto.encryptAes(value.toCharArray()));
        } catch (KuraException e) {
            LOG.error("Cannot encrypt the default of '{}'; leaving it empty", ad.getID());
            return "";
        }
    }

    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
