package io.opcscraper.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksTest {

    @ParameterizedTest
    @ValueSource(strings = { "opc.tcp://opc_server:4840", "opc.tcp://10.0.0.5:4840/UA/Server", "OPC.TCP://host",
            "opc.tcp://[::1]:4840", "opc.tcp://plc-7.plant.local:48010/" })
    void acceptsEndpointUrls(String url) {
        assertNull(Checks.opcTcpUrl(url));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://host:4840", "opc.tcp://", "opc.tcp://:4840", "opc.tcp://host:0",
            "opc.tcp://host:65536", "opc.tcp://host:port", "opc.tcp://ho st:4840", "opc.tcp://[::1:4840",
            "opc.tcp://host;DROP TABLE x" })
    void refusesBadEndpointUrls(String url) {
        assertNotNull(Checks.opcTcpUrl(url));
    }

    @ParameterizedTest
    @ValueSource(strings = { "jdbc:postgresql://h/db?password=x", "jdbc:postgresql://h/db?user=a&PASSWORD=x",
            "jdbc:mysql://h/db" })
    void refusesJdbcUrlsWithPasswordsOrOtherDrivers(String url) {
        assertNotNull(Checks.postgresJdbcUrl(url));
    }
}
