package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.kura.emulator.KuraSnapshots;

/**
 * Kura's snapshots of the factory configurations named by {@code kura.service.pid}: written
 * after each change through the emulated ConfigurationService, re-created with new
 * {@code service.pid} values at a boot. File format: {@link SnapshotFile}.
 */
@Component(service = KuraSnapshots.class)
public final class KuraSnapshotsImpl implements KuraSnapshots {

    static final String KURA_SERVICE_PID = "kura.service.pid";
    private static final Logger LOG = LoggerFactory.getLogger(KuraSnapshotsImpl.class);

    private final ConfigurationAdmin configAdmin;
    private final CryptoService crypto;
    private final FactoryMetatypes metatypes;
    private final SnapshotDirectory snapshots;

    @Activate
    public KuraSnapshotsImpl(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metaType, @Reference CryptoService crypto) {
        this.configAdmin = configAdmin;
        this.crypto = crypto;
        this.metatypes = new FactoryMetatypes(context, metaType);
        KuraPaths paths = new KuraPaths(context);
        Optional<Path> dir = paths.snapshots();
        if (dir.isEmpty()) {
            dir = paths.dataFile("snapshots");
            LOG.warn("kura.home is not set: snapshots are kept in the framework storage ({}), which a clean boot wipes",
                    dir.orElse(null));
        }
        this.snapshots = new SnapshotDirectory(dir.orElseThrow(
                () -> new IllegalStateException("neither kura.home nor a bundle data area: nowhere to keep snapshots")));
    }

    @Override
    public Path directory() {
        return this.snapshots.dir();
    }

    @Override
    public synchronized Path snapshot() throws IOException {
        List<SnapshotEntry> entries = new ArrayList<>();
        for (Configuration configuration : named()) {
            Map<String, Object> properties = Dictionaries.toMap(configuration.getProperties());
            properties.remove(Constants.SERVICE_PID);
            properties.remove(ConfigurationAdmin.SERVICE_FACTORYPID);
            properties.remove(ConfigurationAdmin.SERVICE_BUNDLELOCATION);
            entries.add(new SnapshotEntry((String) properties.get(KURA_SERVICE_PID), configuration.getFactoryPid(),
                    properties, this.metatypes.passwords(configuration.getFactoryPid())));
        }
        Files.createDirectories(this.snapshots.dir());
        Path file = this.snapshots.file(this.snapshots.nextId(System.currentTimeMillis()));
        try {
            SnapshotFile.write(file, entries);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot write the snapshot " + file + ": " + e.getMessage(), e);
        }
        this.snapshots.prune();
        LOG.info("Snapshot {}: {} instance(s)", file, entries.size());
        return file;
    }

    @Override
    public Optional<Path> latest() throws IOException {
        return this.snapshots.latest();
    }

    @Override
    public synchronized Map<String, String> restore(Path snapshot) throws IOException {
        Map<String, String> created = new LinkedHashMap<>();
        for (SnapshotEntry entry : SnapshotFile.read(snapshot)) {
            if (find(entry.name()).isPresent()) {
                LOG.warn("{}: an instance named '{}' exists already; it is kept as it is", snapshot, entry.name());
                continue;
            }
            checkPasswords(snapshot, entry);
            Hashtable<String, Object> properties = new Hashtable<>(entry.properties());
            properties.put(KURA_SERVICE_PID, entry.name());
            Configuration configuration = this.configAdmin.createFactoryConfiguration(entry.factoryPid(), "?");
            configuration.update(properties);
            created.put(entry.name(), configuration.getPid());
            LOG.info("Re-created {} instance '{}' from {} as {}", entry.factoryPid(), entry.name(),
                    snapshot.getFileName(), configuration.getPid());
        }
        return created;
    }

    /** A snapshot password that does not decrypt with this gateway's key reaches the component as stored: say so. */
    private void checkPasswords(Path snapshot, SnapshotEntry entry) {
        for (String id : entry.passwords()) {
            Object value = entry.properties().get(id);
            if (value instanceof String && !((String) value).isEmpty()) {
                try {
                    java.util.Arrays.fill(this.crypto.decryptAes(((String) value).toCharArray()), '\0');
                } catch (KuraException e) {
                    LOG.warn("{}: '{}' of '{}' does not decrypt with this gateway's CryptoService key (was the key "
                            + "under kura.home/user/security lost?): the component gets it as stored", snapshot, id,
                            entry.name());
                }
            }
        }
    }

    private Optional<Configuration> find(String name) throws IOException {
        for (Configuration configuration : named()) {
            if (name.equals(configuration.getProperties().get(KURA_SERVICE_PID))) {
                return Optional.of(configuration);
            }
        }
        return Optional.empty();
    }

    /** The factory configurations that carry a {@code kura.service.pid}, in a stable order. */
    private List<Configuration> named() throws IOException {
        Configuration[] found;
        try {
            found = this.configAdmin.listConfigurations("(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=*)("
                    + KURA_SERVICE_PID + "=*))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Configuration> named = new ArrayList<>(found == null ? List.of() : List.of(found));
        named.sort(java.util.Comparator.comparing(c -> String.valueOf(c.getProperties().get(KURA_SERVICE_PID))));
        return named;
    }
}
