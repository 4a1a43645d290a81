package io.opcscraper.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Heap standing for Kura's own ({@code --ballast-mb}, issue 13): a Java agent that, before the gateway's main
 * method, allocates N MB of byte arrays (64 KiB each, every page written) and keeps them reachable from a static
 * field for the JVM's life. 64 KiB stays well below half a G1 region (1 MiB at a 256 MB heap): larger arrays would be
 * humongous, each taking whole regions (a 1 MiB array takes two), so the ballast would cost about twice its size.
 * The bench writes a jar holding only this class ({@link #agentJar}) and starts the gateway with
 * {@code -javaagent:<jar>=<MB>}: the launcher stays as it ships, and the ballast is in the same heap
 * and the same collector as the instances, like Kura's objects in Kura's JVM. It uses nothing but java.base, so it
 * runs on the gateway's system class path without the bench's dependencies.
 */
public final class Ballast {

    private static final int CHUNK = 64 << 10;
    private static final int PER_MB = (1 << 20) / CHUNK;
    /** Held live for the JVM's life: never read. */
    @SuppressWarnings("unused")
    private static byte[][] held;

    private Ballast() {
    }

    /** The agent's entry: {@code args} is the number of MB. */
    public static void premain(String args) {
        int mb = Integer.parseInt(args.trim());
        byte[][] chunks = new byte[mb * PER_MB][];
        for (int i = 0; i < chunks.length; i++) {
            byte[] chunk = new byte[CHUNK];
            for (int p = 0; p < CHUNK; p += 4096) {
                chunk[p] = 1;
            }
            chunks[i] = chunk;
        }
        held = chunks;
        System.out.println("ballast: " + mb + " MB held live");
    }

    /** The option that starts a JVM with {@code mb} MB of ballast, from the agent jar in {@code dir}. */
    static String option(Path dir, int mb) throws IOException {
        return "-javaagent:" + agentJar(dir) + "=" + mb;
    }

    /** Writes {@code dir/ballast-agent.jar}: this class and a manifest naming it Premain-Class. */
    static Path agentJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("ballast-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", Ballast.class.getName());
        String entry = Ballast.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = Ballast.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IOException("cannot read " + entry + " from the bench's class path");
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
