package io.opcscraper.config.kura;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.eclipse.kura.system.SystemService;
import org.junit.jupiter.api.Test;

/** The rule that names a gateway: MAC address, then serial number, then host name; the device name never. */
class GatewayIdentityTest {

    /** What a Kura SystemService answers (the test's own values; null: Kura does not know). */
    private static class Answers implements SystemService {
        private final String mac;
        private final String serial;
        private final String host;
        private final String device;

        Answers(String mac, String serial, String host, String device) {
            this.mac = mac;
            this.serial = serial;
            this.host = host;
            this.device = device;
        }

        @Override
        public String getPrimaryMacAddress() {
            return this.mac;
        }

        @Override
        public String getSerialNumber() {
            return this.serial;
        }

        @Override
        public String getHostname() {
            return this.host;
        }

        @Override
        public String getDeviceName() {
            return this.device;
        }

        @Override
        public String getKuraVersion() {
            return "KURA_5.5.0";
        }
    }

    @Test
    void theMacAddressComesFirstAsForKurasOwnCloudClientId() {
        GatewayIdentity id = GatewayIdentity.of(new Answers("00:E0:C7:0A:3B:7F", "SN-1", "gw01", "generic-device"));
        assertEquals("00:E0:C7:0A:3B:7F", id.gateway());
        assertEquals("primary MAC address", id.source());
        assertEquals("00:E0:C7:0A:3B:7F/opcua-connection", id.clientId("opcua-connection"));
        assertEquals("KURA_5.5.0", id.kuraVersion());
    }

    @Test
    void withoutAMacAddressTheSerialNumberThenTheHostName() {
        assertEquals("SN-1/c", GatewayIdentity.of(new Answers(null, "SN-1", "gw01", "x")).clientId("c"));
        assertEquals("SN-1/c", GatewayIdentity.of(new Answers("  ", "SN-1", "gw01", "x")).clientId("c"));
        assertEquals("gw01/c", GatewayIdentity.of(new Answers("UNKNOWN", "unknown", "gw01", "x")).clientId("c"));
        assertEquals("host name", GatewayIdentity.of(new Answers(null, "UNSUPPORTED", "gw01", "x")).source());
    }

    @Test
    void theDeviceNameIsNeverTheIdentityKurasInstallerGivesEveryGatewayTheBoardType() {
        GatewayIdentity id = GatewayIdentity.of(new Answers(null, SystemService.UNKNOWN, SystemService.UNKNOWN,
                "generic-device"));
        assertNull(id.gateway());
        assertEquals("opcua-connection", id.clientId("opcua-connection"), "the instance name alone, as before");
    }

    @Test
    void aFailingMethodCountsAsUnknown() {
        GatewayIdentity id = GatewayIdentity.of(new Answers(null, "SN-9", null, null) {
            @Override
            public String getPrimaryMacAddress() {
                throw new IllegalStateException("no network service");
            }
        });
        assertEquals("SN-9", id.gateway());
    }

    @Test
    void slashesControlCharactersAndLengthAreCleaned() {
        assertEquals("a-b-c", GatewayIdentity.clean(" a/b/c\n"));
        assertEquals("ab", GatewayIdentity.clean("a\u0000\u001bb"));
        assertEquals(GatewayIdentity.MAX_LENGTH, GatewayIdentity.clean("x".repeat(300)).length());
        assertNull(GatewayIdentity.clean("\t"));
    }
}
