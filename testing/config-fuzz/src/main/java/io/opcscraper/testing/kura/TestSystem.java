package io.opcscraper.testing.kura;

import org.eclipse.kura.system.SystemService;

/**
 * A SystemService for tests outside the framework: a gateway with the given MAC address, or one Kura
 * knows nothing of ({@link #unknown()}: the client id is then the instance name alone).
 */
public final class TestSystem implements SystemService {

    private final String mac;

    private TestSystem(String mac) {
        this.mac = mac;
    }

    /** A gateway whose primary MAC address is {@code mac}. */
    public static TestSystem withMac(String mac) {
        return new TestSystem(mac);
    }

    /** A gateway Kura knows no MAC address, serial number or host name of. */
    public static TestSystem unknown() {
        return new TestSystem(null);
    }

    @Override
    public String getPrimaryMacAddress() {
        return this.mac;
    }

    @Override
    public String getSerialNumber() {
        return UNKNOWN;
    }

    @Override
    public String getDeviceName() {
        return "generic-device";
    }

    @Override
    public String getHostname() {
        return UNKNOWN;
    }

    @Override
    public String getKuraVersion() {
        return "KURA_5.5.0";
    }
}
