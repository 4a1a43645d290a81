package io.opcscraper.bench;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a fleet run measured: per gateway its committed rows/s in the window, what it read and what the
 * table holds of it after the orderly stop; the CPU of the database, of the gateways and of the machine.
 */
record FleetResult(String runId, int gateways, RunSpec spec, double seconds, java.util.List<Gateway> perGateway,
                   CpuUsage cpu, double gatewaysCpu) {

    /** One gateway: its clientid, committed rows/s in the window, samples read (summary), rows stored. */
    record Gateway(String clientId, double committedPerSecond, long read, long rows) {
        boolean exact() {
            return this.read >= 0 && this.read == this.rows;
        }
    }

    double committedPerSecond() {
        return perGateway.stream().mapToDouble(Gateway::committedPerSecond).sum();
    }

    /** PostgreSQL's CPU time per committed row, in microseconds (all its processes, over the window). */
    double postgresMicrosPerRow() {
        double rows = committedPerSecond() * seconds;
        return rows <= 0 ? Double.NaN : cpu.postgres() / 100.0 * seconds / rows * 1e6;
    }

    boolean exact() {
        return perGateway.stream().allMatch(Gateway::exact);
    }

    String line() {
        return String.format(Locale.ROOT, "fleet: run=%s gateways=%d tags=%d rate=%sHz mode=%s offered=%.0f/s"
                + " committed=%.0f/s per_gateway=[%s] postgres_cpu=%.0f%% postgres_us_per_row=%.1f"
                + " writer_sessions_cpu=%.0f%% gateways_cpu=%.0f%% simulator_cpu=%.0f%% machine_cpu=%.0f%%"
                + " other_cpu=%.0f%% exact=%s (rows=read per clientid: %s)",
            runId, gateways, spec.tags(), spec.rateText(), spec.mode(), spec.offeredPerSecond() * gateways,
            committedPerSecond(), perGateway.stream().map(g -> String.format(Locale.ROOT, "%.0f", g.committedPerSecond()))
                .collect(Collectors.joining(",")), cpu.postgres(), postgresMicrosPerRow(), cpu.postgresBenchSessions(),
            gatewaysCpu, cpu.simulator(), cpu.machine(), Math.max(0, cpu.machine() - cpu.postgres() - gatewaysCpu
                - cpu.simulator() - cpu.driver()), exact() ? "yes" : "NO",
            perGateway.stream().map(g -> g.rows() + "=" + g.read()).collect(Collectors.joining(",")));
    }

    static String markdownHeader() {
        return "| gateways | tags x Hz each | offered/s | committed/s | per gateway/s | postgres CPU | postgres µs/row"
            + " | gateways CPU | simulator CPU | machine CPU | exact |" + System.lineSeparator()
            + "| --: | --- | --: | --: | --- | --: | --: | --: | --: | --: | --- |";
    }

    String markdownRow() {
        return String.format(Locale.ROOT, "| %d | %,d x %s | %,.0f | %,.0f | %s | %.0f %% | %.1f | %.0f %% | %.0f %% | %.0f %% | %s |",
            gateways, spec.tags(), spec.rateText(), spec.offeredPerSecond() * gateways, committedPerSecond(),
            perGateway.stream().map(g -> String.format(Locale.ROOT, "%,.0f", g.committedPerSecond()))
                .collect(Collectors.joining(" / ")), cpu.postgres(), postgresMicrosPerRow(), gatewaysCpu,
            cpu.simulator(), cpu.machine(), exact() ? "yes" : "no");
    }
}
