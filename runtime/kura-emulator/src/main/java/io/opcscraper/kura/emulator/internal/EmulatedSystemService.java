package io.opcscraper.kura.emulator.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.kura.system.SystemService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SystemService like Kura's for what OPC Scraper asks of it: the gateway's identity and Kura's
 * version. The values come from framework (or system) properties named as Kura's kura.properties
 * keys ({@code kura.serialNumber}, {@code kura.device.name}, {@code kura.primary.network.interface},
 * {@code kura.version}), else from this machine: the MAC address of the primary interface ({@code eth0}
 * by default, as Kura on Linux; null when there is no such interface, as Kura) and the host name.
 *
 * <p>Not Kura: {@value #MAC_PROPERTY} replaces the MAC address, so that several emulated gateways on
 * one machine (the fleet test and benchmark) differ as real gateways on their own hardware do.
 */
@Component(service = SystemService.class)
public final class EmulatedSystemService implements SystemService {

    /** The emulator's stand-in for a gateway's own network card. */
    static final String MAC_PROPERTY = "opcscraper.emulator.mac";

    private static final Logger LOG = LoggerFactory.getLogger(EmulatedSystemService.class);

    private final BundleContext context;

    @Activate
    public EmulatedSystemService(BundleContext context) {
        this.context = context;
    }

    private Optional<String> property(String key) {
        String value = this.context.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String getPrimaryMacAddress() {
        Optional<String> given = property(MAC_PROPERTY);
        if (given.isPresent()) {
            return given.get();
        }
        String name = property(KEY_PRIMARY_NET_IFACE).orElse("eth0");
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            byte[] address = nic == null ? null : nic.getHardwareAddress();
            if (address == null || address.length == 0) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : address) {
                sb.append(sb.length() == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02X", b));
            }
            return sb.toString();
        } catch (SocketException e) {
            LOG.debug("no MAC address for interface {}: {}", name, e.getMessage());
            return null;
        }
    }

    @Override
    public String getSerialNumber() {
        return property(KEY_SERIAL_NUM).orElse(UNKNOWN);
    }

    @Override
    public String getDeviceName() {
        return property(KEY_DEVICE_NAME).orElseGet(this::getHostname);
    }

    @Override
    public String getHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.debug("no host name: {}", e.getMessage());
            return UNKNOWN;
        }
    }

    @Override
    public String getKuraVersion() {
        return property(KEY_KURA_VERSION).orElse("KURA_5.5.0 (emulated)");
    }
}
