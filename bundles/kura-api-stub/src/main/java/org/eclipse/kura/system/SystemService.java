package org.eclipse.kura.system;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Stand-in for the few members of Kura's SystemService that OPC Scraper uses: what identifies the
 * gateway (its primary network interface's MAC address, serial number, host name, device name) and
 * Kura's version. The real interface (bundle {@code org.eclipse.kura.api}, package version 1.7.0
 * in Kura 5.4 and 5.5) has many more methods; these have the same names, types and meaning. Kura
 * reads the overrides named by the {@code KEY_} constants from its {@code kura.properties}.
 */
@ProviderType
public interface SystemService {

    /** What Kura answers for a value it cannot determine. */
    String UNKNOWN = "UNKNOWN";
    /** What Kura answers for a value its platform does not have. */
    String UNSUPPORTED = "UNSUPPORTED";

    /** kura.properties: the device name (Kura's installer sets the board type, e.g. {@code generic-device}). */
    String KEY_DEVICE_NAME = "kura.device.name";
    /** kura.properties: the serial number, overriding what Kura reads from the hardware. */
    String KEY_SERIAL_NUM = "kura.serialNumber";
    /** kura.properties: the interface whose MAC address is the primary one (default eth0 on Linux). */
    String KEY_PRIMARY_NET_IFACE = "kura.primary.network.interface";
    /** kura.properties: Kura's version. */
    String KEY_KURA_VERSION = "kura.version";

    /**
     * The MAC address of the primary network interface, e.g. {@code 00:E0:C7:0A:3B:7F}; what Kura's
     * own cloud connection uses as its MQTT client id when none is configured. May be null when that
     * interface does not exist.
     */
    String getPrimaryMacAddress();

    /** The serial number (from kura.properties, else the hardware), or {@link #UNKNOWN}. */
    String getSerialNumber();

    /** The device name (from kura.properties, else the host name), or {@link #UNKNOWN}. */
    String getDeviceName();

    /** The host name, or {@link #UNKNOWN}. */
    String getHostname();

    /** Kura's version, e.g. {@code KURA_5.5.0}. */
    String getKuraVersion();
}
