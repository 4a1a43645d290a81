package io.opcscraper.opcua.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.kura.GatewayIdentity;
import io.opcscraper.opcua.internal.connection.ConnectionOptions;
import io.opcscraper.opcua.internal.discovery.DiscoveryOptions;
import io.opcscraper.opcua.internal.poller.PollerOptions;
import io.opcscraper.testing.kura.TestSystem;

/** Rules that involve more than one property, and values derived from the instance. */
class OptionsTest {

    @Test
    void clientIdDefaultsToTheGatewayAndTheInstanceName() throws Exception {
        GatewayIdentity gateway = GatewayIdentity.of(TestSystem.withMac("02:00:00:00:00:07"));
        assertEquals("02:00:00:00:00:07/plant-a",
                ConnectionOptions.parse(Map.of("kura.service.pid", "plant-a"), gateway).clientId());
        assertEquals("line-1", ConnectionOptions.parse(Map.of("kura.service.pid", "plant-a", "client.id", "line-1"),
                gateway).clientId(), "client.id overrides the default");
        assertEquals("02:00:00:00:00:08/plant-a", ConnectionOptions.parse(Map.of("kura.service.pid", "plant-a"),
                GatewayIdentity.of(TestSystem.withMac("02:00:00:00:00:08"))).clientId(),
                "the same template on another gateway: another client id");
    }

    @Test
    void withoutAGatewayNameTheClientIdIsTheInstanceName() throws Exception {
        assertEquals("plant-a", ConnectionOptions.parse(Map.of("kura.service.pid", "plant-a"),
                GatewayIdentity.of(TestSystem.unknown())).clientId());
        assertEquals("plant-a", ConnectionOptions.parse(Map.of("kura.service.pid", "plant-a")).clientId());
    }

    @Test
    void usernameIdentityNeedsAUsernameAndNeverShowsThePassword() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConnectionOptions.parse(Map.of("identity.type", "username", "identity.password", "s3cret!")));
        assertTrue(e.getMessage().contains("'identity.username' is required when identity.type is username"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret!"), e.getMessage());
    }

    @Test
    void securityPolicyNoneAndModeMustAgree() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConnectionOptions.parse(Map.of("security.policy", "None", "security.mode", "SignAndEncrypt")));
        assertTrue(e.getMessage().contains("'security.mode' = 'SignAndEncrypt'"), e.getMessage());
    }

    @Test
    void aTargetMustBeAFilter() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> DiscoveryOptions.parse(Map.of("connection.target", "plant-a")));
        assertTrue(e.getMessage().contains("'connection.target' = 'plant-a'"), e.getMessage());
    }

    @Test
    void nodeIdListsAcceptTheNamespaceUriForm() throws Exception {
        DiscoveryOptions options = DiscoveryOptions
                .parse(Map.of("browse.roots", "i=85, nsu=urn:plant;s=Line1", "node.ids", "ns=2;s=A\nns=3;i=7"));
        assertEquals(List.of("i=85", "nsu=urn:plant;s=Line1"), options.browseRoots());
        assertEquals(List.of("ns=2;s=A", "ns=3;i=7"), options.nodeIds());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> DiscoveryOptions.parse(Map.of("browse.roots", "Objects")));
        assertTrue(e.getMessage().contains("'browse.roots' = 'Objects'"), e.getMessage());
    }

    @Test
    void percentDeadbandIsAtMostOneHundred() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> PollerOptions.parse(Map.of("deadband.type", "percent", "deadband.value", 150.0)));
        assertTrue(e.getMessage().contains("'deadband.value' = '150.0'"), e.getMessage());
    }

    @Test
    void historyBackfillBadValuesAreNamedAndTheGatewayClockTurnsItOff() throws Exception {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> PollerOptions.parse(Map.of("history.backfill.max.s", -1, "history.values.per.request", 50,
                        "history.requests.in.flight", "many")));
        assertTrue(e.getMessage().contains("'history.backfill.max.s' = '-1'"), e.getMessage());
        assertTrue(e.getMessage().contains("'history.values.per.request' = '50'"), e.getMessage());
        assertTrue(e.getMessage().contains("'history.requests.in.flight' = 'many'"), e.getMessage());
        assertTrue(PollerOptions.parse(Map.of()).backfills(), "on by default: 3600 s");
        assertEquals(3600, PollerOptions.parse(Map.of()).historyBackfillMaxS());
        assertFalse(PollerOptions.parse(Map.of("history.backfill.max.s", 0)).backfills());
        assertFalse(PollerOptions.parse(Map.of("timestamp.source", "gateway")).backfills(),
                "a value from the history has no gateway time");
        assertTrue(PollerOptions.parse(Map.of("timestamp.source", "server")).backfills());
    }
}
