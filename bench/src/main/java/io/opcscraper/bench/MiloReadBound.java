package io.opcscraper.bench;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * Raw bound B: how many values a second a Milo 0.6.16 client reads from the run's simulator, as fast as it
 * can: all the sensor nodes in Reads of MaxNodesPerRead nodes (the server's limit, or {@code chunk}),
 * {@value #READS_IN_FLIGHT} Reads outstanding at once (the Poller's default reads.in.flight), both
 * timestamps, over and over. Security None, anonymous, like the gateway's connection in the bench.
 */
final class MiloReadBound {

    /** The Poller's default reads.in.flight (metatype io.opcscraper.opcua.Poller). */
    static final int READS_IN_FLIGHT = 4;
    private static final NodeId MAX_NODES_PER_READ = new NodeId(0, uint(11705));

    /** Good values read, over how long, in Reads of how many nodes (at most the tag count), the CPU meanwhile. */
    record Result(long values, double seconds, int chunk, int serverMaxNodesPerRead, CpuUsage cpu) {
        double valuesPerSecond() {
            return values / seconds;
        }
    }

    private MiloReadBound() {
    }

    static Result measure(String endpointUrl, int tags, int chunkOverride, long simulatorPid, Duration duration)
            throws Exception {
        OpcUaClient client = connect(endpointUrl);
        try {
            DataValue limit = client.readValue(0, TimestampsToReturn.Neither, MAX_NODES_PER_READ).get(30, TimeUnit.SECONDS);
            Object raw = limit.getValue().getValue();
            int serverLimit = raw instanceof Number n ? (int) n.longValue() : 0;
            int chunk = Math.min(tags, chunkOverride > 0 ? chunkOverride : serverLimit > 0 ? serverLimit : 1000);
            List<List<NodeId>> chunks = chunks(client, tags, chunk);

            // Checks the node ids once (every value Good), also the warm-up.
            for (List<NodeId> ids : chunks) {
                List<DataValue> values = client.readValues(0, TimestampsToReturn.Both, ids).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i).getStatusCode() == null || !values.get(i).getStatusCode().isGood()) {
                        throw new IllegalStateException("reading " + ids.get(i) + ": " + values.get(i).getStatusCode());
                    }
                }
            }

            Semaphore inFlight = new Semaphore(READS_IN_FLIGHT);
            AtomicLong good = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CpuSnapshot before = CpuSnapshot.take(-1, simulatorPid, Set.of());
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            int next = 0;
            while (System.nanoTime() < deadline && failure.get() == null) {
                inFlight.acquire();
                List<NodeId> ids = chunks.get(next++ % chunks.size());
                client.readValues(0, TimestampsToReturn.Both, ids).whenComplete((values, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        long n = values.stream().filter(v -> v.getStatusCode() != null && v.getStatusCode().isGood())
                            .count();
                        good.addAndGet(n);
                    }
                    inFlight.release();
                });
            }
            if (!inFlight.tryAcquire(READS_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Reads did not complete within 60 s");
            }
            long end = System.nanoTime();
            CpuUsage cpu = CpuUsage.between(before, CpuSnapshot.take(-1, simulatorPid, Set.of()));
            if (failure.get() != null) {
                throw new IllegalStateException("a Read failed: " + failure.get(), failure.get());
            }
            return new Result(good.get(), (end - start) / 1e9, chunk, serverLimit, cpu);
        } finally {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<List<NodeId>> chunks(OpcUaClient client, int tags, int chunk) {
        UShort ns = client.getNamespaceTable().getIndex(PlantTags.NAMESPACE_URI);
        if (ns == null) {
            throw new IllegalStateException("the server has no namespace " + PlantTags.NAMESPACE_URI);
        }
        List<List<NodeId>> chunks = new ArrayList<>();
        List<NodeId> current = new ArrayList<>(chunk);
        for (PlantTags.Tag tag : PlantTags.first(tags)) {
            current.add(new NodeId(ns, tag.identifier()));
            if (current.size() == chunk) {
                chunks.add(current);
                current = new ArrayList<>(chunk);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static OpcUaClient connect(String endpointUrl) throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(endpointUrl).get(30, TimeUnit.SECONDS);
        EndpointDescription endpoint = endpoints.stream()
            .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no None endpoint at " + endpointUrl));
        OpcUaClientConfig config = OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("OPC Scraper bench"))
            .setApplicationUri("urn:opcscraper:bench")
            .setEndpoint(endpoint)
            .setRequestTimeout(uint(60_000))
            .build();
        OpcUaClient client = OpcUaClient.create(config);
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }
}
