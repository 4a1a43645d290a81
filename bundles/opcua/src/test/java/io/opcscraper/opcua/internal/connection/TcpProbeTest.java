package io.opcscraper.opcua.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class TcpProbeTest {

    @Test
    void readsHostAndPortOfOpcTcpUrls() {
        assertEquals("opc_server:4840", hostPort("opc.tcp://opc_server:4840"), "an underscore: URI has no host");
        assertEquals("10.0.1.10:4840", hostPort("opc.tcp://10.0.1.10"));
        assertEquals("plc.plant.local:48010", hostPort("opc.tcp://plc.plant.local:48010/UA/Server"));
        assertEquals("[::1]:4841", hostPort("opc.tcp://[::1]:4841/path"));
        assertEquals("[fe80::1]:4840", hostPort("opc.tcp://[fe80::1]/"));
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.of("opc.tcp://host:/x", 100), "an empty port");
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.of("opc.tcp://:4840/", 100));
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.of("opc.tcp://host:99999", 100));
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.of("opc.tcp://host:port", 100));
    }

    @Test
    void acceptsOnlyWhileSomethingListens() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            assertTrue(TcpProbe.of("opc.tcp://127.0.0.1:" + port + "/plant", 1000).accepts());
        }
        assertFalse(TcpProbe.of("opc.tcp://127.0.0.1:" + port + "/plant", 1000).accepts(), "closed port");
    }

    private static String hostPort(String url) {
        TcpProbe probe = TcpProbe.of(url, 100);
        return probe.host() + ":" + probe.port();
    }
}
