package io.opcscraper.timescale.internal.status;

import java.time.Instant;

/**
 * What a writer's status row says of who it is; fixed while the writer runs.
 *
 * @param writerId the writer id its spool keeps (the key of its progress marker and of its row)
 * @param writer the Writer instance ({@code kura.service.pid})
 * @param gateway the gateway's name (Kura's SystemService: {@code GatewayIdentity}), or null
 * @param writerVersion the version of bundle {@code io.opcscraper.timescale}, or null outside OSGi
 * @param kuraVersion Kura's version, or null
 * @param table the table it writes
 * @param intervalS how often it reports ({@code status.interval.s})
 * @param startedAt when this writer started (or took its current configuration): its counters count from then
 */
public record StatusIdentity(String writerId, String writer, String gateway, String writerVersion, String kuraVersion,
        String table, int intervalS, Instant startedAt) {

    /**
     * What the component knows of where it runs.
     *
     * @param gateway the gateway's name (Kura's SystemService), or null
     * @param writerVersion the version of bundle {@code io.opcscraper.timescale}, or null outside OSGi
     * @param kuraVersion Kura's version, or null
     */
    public record Host(String gateway, String writerVersion, String kuraVersion) {
    }

    /** The identity of writer {@code writerId} (instance {@code writer}) on {@code host}, started now. */
    public static StatusIdentity of(String writerId, String writer, Host host, String table, int intervalS) {
        return new StatusIdentity(writerId, writer, host.gateway(), host.writerVersion(), host.kuraVersion(), table,
                intervalS, Instant.now());
    }
}
