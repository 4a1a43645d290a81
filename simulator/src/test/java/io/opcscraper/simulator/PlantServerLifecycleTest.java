package io.opcscraper.simulator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts, several servers in one JVM, anonymous access switched off, and the 50,000-tag scale. */
class PlantServerLifecycleTest {

    @TempDir
    Path tmp;

    @Test
    void restartWithTheSamePkiDirKeepsTheCertificate() throws Exception {
        Path pki = tmp.resolve("pki");
        byte[] first;
        int firstPort;
        try (PlantServer server = PlantServer.builder().tags(10).pkiDir(pki).start()) {
            first = server.certificate().getEncoded();
            firstPort = server.port();
            assertTrue(Files.exists(pki.resolve("plant-server.p12")));
            assertArrayEquals(first, Files.readAllBytes(pki.resolve("plant-server.der")));
        }
        assertFalse(listening(firstPort), "close() released port " + firstPort);
        // A restart on the same port right after close() (a server restart the scraper must survive).
        try (PlantServer server = PlantServer.builder().tags(10).pkiDir(pki).port(firstPort).start()) {
            assertEquals(firstPort, server.port());
            assertArrayEquals(first, server.certificate().getEncoded(), "same certificate after a restart");
            try (MiloClients.Session session = MiloClients.connect(server, tmp, SecurityPolicy.Aes256_Sha256_RsaPss,
                MessageSecurityMode.SignAndEncrypt, new AnonymousProvider())) {
                assertTrue(read(session.client(), server, "Plant/Types/Double").getStatusCode().isGood());
            }
        }
        try (PlantServer other = PlantServer.builder().tags(10).pkiDir(tmp.resolve("other-pki")).start()) {
            assertFalse(Arrays.equals(first, other.certificate().getEncoded()), "a new PKI dir, a new key");
        }
    }

    @Test
    void twoServersInOneJvmAtOnce() throws Exception {
        try (PlantServer a = PlantServer.builder().tags(100).start();
             PlantServer b = PlantServer.builder().tags(40).securityPolicies("None").start()) {
            assertNotEquals(a.port(), b.port());
            assertEquals(100 + 39, a.variableCount());
            assertEquals(40 + 39, b.variableCount());
            try (MiloClients.Session sa = MiloClients.connectAnonymous(a, tmp);
                 MiloClients.Session sb = MiloClients.connectAnonymous(b, tmp)) {
                assertTrue(read(sa.client(), a, "Plant/Line01/Machine03/Sensor05/Count").getStatusCode().isGood());
                assertEquals(StatusCodes.Bad_NodeIdUnknown,
                    read(sb.client(), b, "Plant/Line01/Machine03/Sensor05/Count").getStatusCode().getValue(),
                    "b has 40 tags: 10 sensors on Machine01 only");

                // Hostile identifiers contain ';' : removal by nsu= and ns= forms both work.
                String drop = "Plant/Hostile/Robert'); DROP TABLE sensor_data;--";
                assertTrue(read(sb.client(), b, drop).getStatusCode().isGood());
                b.removeVariable("nsu=" + b.namespaceUri() + ";s=" + drop);
                assertEquals(StatusCodes.Bad_NodeIdUnknown, read(sb.client(), b, drop).getStatusCode().getValue());
                b.removeVariable("ns=" + b.namespaceIndex() + ";s=Plant/Line01/Machine01/Sensor01/Temperature");
                assertEquals(StatusCodes.Bad_NodeIdUnknown,
                    read(sb.client(), b, "Plant/Line01/Machine01/Sensor01/Temperature/EURange")
                        .getStatusCode().getValue(), "the properties go with their variable");
                assertEquals(40 + 39 - 2, b.variableCount());
                assertEquals(40 - 2, b.propertyNodeIds().size());

                // a is untouched by b's removals and still serves.
                assertTrue(read(sa.client(), a, drop).getStatusCode().isGood());
            }
            b.close();
            try (MiloClients.Session sa = MiloClients.connectAnonymous(a, tmp)) {
                assertTrue(read(sa.client(), a, "Plant/Types/Int32").getStatusCode().isGood(),
                    "closing b leaves a (and Milo's shared resources) working");
            }
        }
    }

    @Test
    void anonymousCanBeSwitchedOff() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(4).allowAnonymous(false).user("u", "p")
            .securityPolicies("None", "Basic256Sha256").start()) {
            List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, SECONDS);
            assertEquals(3, endpoints.size());
            for (EndpointDescription endpoint : endpoints) {
                for (UserTokenPolicy policy : endpoint.getUserIdentityTokens()) {
                    assertEquals(UserTokenType.UserName, policy.getTokenType(), "no anonymous token policy");
                }
            }
            assertThrows(Exception.class, () -> MiloClients.connectAnonymous(server, tmp).close());
            try (MiloClients.Session session = MiloClients.connect(server, tmp, SecurityPolicy.Basic256Sha256,
                MessageSecurityMode.Sign, new UsernameProvider("u", "p"))) {
                assertTrue(read(session.client(), server, "Plant/Types/Int32").getStatusCode().isGood());
            }
        }
        assertThrows(IllegalStateException.class, () -> PlantServer.builder().allowAnonymous(false).start());
        assertThrows(IllegalArgumentException.class, () -> PlantServer.builder().securityPolicies("Nope").start());
    }

    @Test
    void aFixedPortThatIsTakenFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exception e = assertThrows(Exception.class,
                () -> PlantServer.builder().tags(4).port(taken.getLocalPort()).start().close());
            assertTrue(e.toString().contains(String.valueOf(taken.getLocalPort())), e::toString);
        }
    }

    @Test
    void withoutAReferenceCapBrowseReturnsEverythingAtOnce() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(400).maxNodesPerBrowse(5).maxReferencesPerBrowse(0)
                .securityPolicies("None").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, tmp)) {
            BrowseResult machines = session.client().browse(
                    new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0)), uint(0),
                    List.of(new BrowseDescription(new NodeId(server.namespaceIndex(), "Plant/Line01/Machine01"),
                        BrowseDirection.Forward, Identifiers.HierarchicalReferences, true, uint(0), uint(63))))
                .get(10, SECONDS).getResults()[0];
            assertEquals(10, machines.getReferences().length, "10 sensors, more than 5, without continuation point");
            assertTrue(machines.getContinuationPoint() == null || machines.getContinuationPoint().isNull());
        }
    }

    /** Measured, not asserted: start time and heap of 50,000 tags, and a full read of them. */
    @Test
    void fiftyThousandTags() throws Exception {
        long heapBefore = usedHeapAfterGc();
        long t0 = System.nanoTime();
        try (PlantServer server = PlantServer.builder().tags(50_000).maxNodesPerRead(10_000).start()) {
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            long heapAfter = usedHeapAfterGc();
            assertEquals(50_000 + 39, server.variableCount());

            try (MiloClients.Session session = MiloClients.connectAnonymous(server, tmp)) {
                List<NodeId> ids = new ArrayList<>();
                int ns = server.namespaceIndex();
                for (String id : server.variableNodeIds()) {
                    if (!id.contains(";s=Plant/Hostile/") && !id.contains(";s=Plant/Types/")) {
                        ids.add(new NodeId(ns, id.substring(id.indexOf(";s=") + 3)));
                    }
                }
                assertEquals(50_000, ids.size());
                long served = server.valuesServed();
                long r0 = System.nanoTime();
                int good = 0;
                for (int i = 0; i < ids.size(); i += 10_000) {
                    List<DataValue> values = session.client()
                        .readValues(0, TimestampsToReturn.Both, ids.subList(i, Math.min(ids.size(), i + 10_000)))
                        .get(60, SECONDS);
                    good += (int) values.stream().filter(v -> v.getStatusCode().isGood()).count();
                }
                long readMs = (System.nanoTime() - r0) / 1_000_000;
                assertEquals(50_000, good);
                assertEquals(50_000, server.valuesServed() - served, "no subscription: exactly the values read");
                System.out.printf("MEASURE tags(50000): start %d ms, heap used after GC +%.1f MiB (%.1f -> %.1f MiB),"
                        + " read of 50,000 values in 5 requests %d ms (%.0f values/s)%n",
                    startMs, (heapAfter - heapBefore) / 1048576.0, heapBefore / 1048576.0, heapAfter / 1048576.0,
                    readMs, 50_000 * 1000.0 / Math.max(1, readMs));
            }
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static DataValue read(OpcUaClient client, PlantServer server, String id) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, new NodeId(server.namespaceIndex(), id)).get(10, SECONDS);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
