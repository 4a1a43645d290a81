package io.opcscraper.config.kura;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import org.eclipse.kura.system.SystemService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gateway this is, as Kura's {@link SystemService} tells it: the name that makes the default
 * {@code clientid} unique across a fleet set up from one template (one snapshot, the same instance
 * names on every gateway), and that the writer puts in its row of {@code opcscraper_status}.
 *
 * <p>The rule: the first of these that Kura knows (neither null, blank, {@code UNKNOWN} nor
 * {@code UNSUPPORTED}):
 * <ol>
 * <li>the primary network interface's MAC address ({@code getPrimaryMacAddress}): what Kura's own
 * cloud connection uses as its client id when none is configured, so a fleet manager lists the
 * gateway under the same name; one per network card, so unique even among gateways cloned from one
 * image;</li>
 * <li>the serial number ({@code getSerialNumber}: {@code kura.serialNumber} in kura.properties, else
 * the hardware's);</li>
 * <li>the host name ({@code getHostname}).</li>
 * </ol>
 * Kura's device name is not used: Kura's installer sets it to the board type ({@code generic-device},
 * {@code raspberry}, ...), the same on every gateway of a kind. The name is cut to
 * {@value #MAX_LENGTH} characters, control characters are dropped and {@code /} becomes {@code -}
 * ({@code /} separates it from the instance name in a client id). When Kura knows none of them,
 * there is no gateway name and a client id is the instance name alone, as before this rule.
 */
public final class GatewayIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayIdentity.class);

    /** The longest gateway name kept. */
    public static final int MAX_LENGTH = 64;

    private record Source(String what, Supplier<String> value) {
    }

    private final String gateway;
    private final String source;
    private final String kuraVersion;

    private GatewayIdentity(String gateway, String source, String kuraVersion) {
        this.gateway = gateway;
        this.source = source;
        this.kuraVersion = kuraVersion;
    }

    /** The identity Kura's SystemService gives; asks it once. */
    public static GatewayIdentity of(SystemService system) {
        Objects.requireNonNull(system, "system");
        for (Source s : List.of(new Source("primary MAC address", system::getPrimaryMacAddress),
                new Source("serial number", system::getSerialNumber), new Source("host name", system::getHostname))) {
            String name = clean(ask(s.value()));
            if (name != null) {
                return new GatewayIdentity(name, s.what(), clean(ask(system::getKuraVersion)));
            }
        }
        return new GatewayIdentity(null, null, clean(ask(system::getKuraVersion)));
    }

    /** A value of the SystemService; a method that fails is a value Kura does not know. */
    private static String ask(Supplier<String> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            LOG.debug("Kura's SystemService failed to answer: {}", e.toString());
            return null;
        }
    }

    /** {@code value} cleaned, or null when it is not a usable name. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        value.strip().codePoints().filter(c -> !Character.isISOControl(c))
                .forEach(c -> sb.appendCodePoint(c == '/' ? '-' : c));
        String name = sb.toString().strip();
        String upper = name.toUpperCase(Locale.ROOT);
        if (name.isEmpty() || upper.equals(SystemService.UNKNOWN) || upper.equals(SystemService.UNSUPPORTED)) {
            return null;
        }
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }

    /** The gateway's name, or null when Kura knows none. */
    public String gateway() {
        return this.gateway;
    }

    /** Where the name came from ({@code primary MAC address}, ...), for the log; null without a name. */
    public String source() {
        return this.source;
    }

    /** Kura's version, or null when Kura does not say. */
    public String kuraVersion() {
        return this.kuraVersion;
    }

    /**
     * The default client id of the instance {@code instance}: {@code <gateway>/<instance>}, or the
     * instance name alone when there is no gateway name.
     */
    public String clientId(String instance) {
        return this.gateway == null ? instance : this.gateway + "/" + instance;
    }

    /** One line for the log: the name and where it came from. */
    public String describe() {
        return this.gateway == null
                ? "Kura's SystemService knows no MAC address, serial number or host name of this gateway"
                : "gateway " + this.gateway + " (its " + this.source + ")";
    }
}
