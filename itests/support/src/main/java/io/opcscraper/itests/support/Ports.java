package io.opcscraper.itests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for servers that must be told one (no fixed ports in tests). */
public final class Ports {

    private Ports() {
    }

    /** A loopback port free at this moment. */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
