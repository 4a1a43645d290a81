package io.opcscraper.itests.logscan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 6, "Security": the last test of the build scans every log and test output the build
 * produced for the passwords the tests use and for private keys, and fails listing file, line
 * and rule (never the secret itself).
 *
 * <p>Scanned, below the repository root (not below {@code node_modules} nor this module's own
 * {@code target}): {@code target/**}{@code /*.log}, {@code target/surefire-reports/*.txt},
 * {@code *-output.txt}, {@code TEST-*.xml}, everything below {@code target/test-reports/},
 * {@code target/**}{@code /gateway*.out} and every {@code kura55.log}.
 *
 * <p>What counts as a leak:
 * <ul>
 * <li>the fixed test secrets of the test sources (user, keystore and database passwords);
 * <li>the random secrets the tests generate, by their shape: the web console test's
 * {@code pw-<12 hex>} and {@code secret-<12 hex>}, the reliability suite's database role
 * passwords {@code pw<24 hex>} and wrong passwords {@code wrong<20 hex>}, the fuzzers'
 * {@code pw-<hex>...-secret};
 * <li>the local database's password {@code opcscraper}, which is also its user and database
 * name: only where it stands as a password value ({@code password=opcscraper},
 * {@code "db.password": "opcscraper"}, {@code PGPASSWORD=opcscraper}, ...);
 * <li>any private key in PEM ({@code -----BEGIN ... PRIVATE KEY-----}).
 * </ul>
 * Not a leak: {@code ./run} prints its random console password on purpose (its "web console ...
 * (user admin, password ...)" line), which no rule above matches.
 */
class LogScanTest {

    /** Fixed secrets of the test sources. */
    static final List<String> LITERAL_SECRETS = List.of("s3cret-pw", "s3cret-Pw", "s3cret!", "id-pass",
            "matrix-pw-7f3a", "id-pass-matrix", "right-pw-91c2", "wrong-pw-5d8e", "hunter2", "env-secret",
            "url-secret", "pw-valid-base-secret");

    record Rule(String name, Pattern pattern) {
    }

    static final List<Rule> RULES = rules();

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (String secret : LITERAL_SECRETS) {
            rules.add(new Rule("test secret " + mask(secret),
                    Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(secret) + "(?![A-Za-z0-9])")));
        }
        rules.add(new Rule("web console test password pw-<12 hex>", Pattern.compile("\\bpw-[0-9a-f]{12}\\b")));
        rules.add(new Rule("web console test secret secret-<12 hex>", Pattern.compile("\\bsecret-[0-9a-f]{12}\\b")));
        rules.add(new Rule("reliability role password pw<24 hex>", Pattern.compile("\\bpw[0-9a-f]{24}\\b")));
        rules.add(new Rule("reliability wrong password wrong<20 hex>", Pattern.compile("\\bwrong[0-9a-f]{20}\\b")));
        rules.add(new Rule("fuzzer password pw-<hex>...-secret", Pattern.compile("\\bpw-[0-9a-f]{1,16}.{0,500}-secret")));
        rules.add(new Rule("the database password opcscraper as a password value", Pattern.compile(
                "(?i)(pass(word|wd)?|pwd)[\"']?\\s*[:=]\\s*[\"']?opcscraper(?![A-Za-z0-9_])")));
        rules.add(new Rule("private key", Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----")));
        return rules;
    }

    static String mask(String secret) {
        return secret.substring(0, 2) + "*".repeat(Math.max(1, secret.length() - 2));
    }

    @Test
    void noPasswordAndNoPrivateKeyInAnyLogOrTestOutput() throws IOException {
        Path root = Path.of(System.getProperty("logscan.root", "../..")).toAbsolutePath().normalize();
        Path self = Path.of(System.getProperty("logscan.self", "target")).toAbsolutePath().normalize();
        List<Path> files = files(root, self);
        List<String> findings = new ArrayList<>();
        long lines = 0;
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
            lines += scan(file, root, findings);
        }
        System.out.printf("LogScanTest: %d files, %,d lines, %,d bytes scanned below %s; %d rules; %d findings%n",
                files.size(), lines, bytes, root, RULES.size(), findings.size());
        assertTrue(files.size() > 0 || Boolean.getBoolean("logscan.allowEmpty"),
                "no log or test output found below " + root + ": nothing was scanned");
        assertTrue(findings.isEmpty(), findings.size() + " secret(s) or private key(s) in logs and test outputs:\n"
                + String.join("\n", findings.subList(0, Math.min(200, findings.size()))));
    }

    /** The rules find what they are meant to, and not the database's user and database names. */
    @Test
    void theRulesFindSecretsAndNotNames() {
        for (String leak : List.of("identity.password=s3cret-pw", "url: http://tester:pw-0123456789ab@127.0.0.1",
                "role pw0123456789abcdef01234567 created", "PGPASSWORD=opcscraper psql", "\"db.password\": \"opcscraper\"",
                "password: opcscraper", "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----",
                "-----BEGIN ENCRYPTED PRIVATE KEY-----", "x pw-1f2e-secret")) {
            assertTrue(RULES.stream().anyMatch(r -> r.pattern().matcher(leak).find()), "not found: " + leak);
        }
        for (String fine : List.of("jdbc:postgresql://127.0.0.1:5433/opcscraper as user 'opcscraper'",
                "db.password = ********", "'db.password' must be text", "-----BEGIN CERTIFICATE-----",
                "web console http://127.0.0.1:8081/system/console/configMgr (user admin, password 31979c1351609e0aac54854a)",
                "table opcscraper_progress", "Configured: WriterOptions[jdbcUrl=jdbc:postgresql://h/opcscraper, user=opcscraper, password=********")) {
            assertTrue(RULES.stream().noneMatch(r -> r.pattern().matcher(fine).find()), "a false positive: " + fine);
        }
    }

    static long scan(Path file, Path root, List<String> findings) throws IOException {
        long count = 0;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = in.readLine()) != null) {
                count++;
                for (Rule rule : RULES) {
                    Matcher m = rule.pattern().matcher(line);
                    if (m.find()) {
                        findings.add(root.relativize(file) + ":" + count + ": " + rule.name() + " (column "
                                + (m.start() + 1) + ")");
                    }
                }
            }
        }
        return count;
    }

    /** The logs and test outputs below root. */
    static List<Path> files(Path root, Path self) throws IOException {
        List<Path> out = new ArrayList<>();
        Set<String> skip = Set.of("node_modules", ".git", ".m2");
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (skip.contains(String.valueOf(dir.getFileName())) || dir.toAbsolutePath().normalize().equals(self)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && wanted(root.relativize(file))) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    static boolean wanted(Path relative) {
        String path = relative.toString().replace('\\', '/');
        String name = relative.getFileName().toString();
        if (name.equals("kura55.log")) {
            return true;
        }
        if (!(path.startsWith("target/") || path.contains("/target/"))) {
            return false;
        }
        return name.endsWith(".log")
                || (path.contains("/surefire-reports/") && (name.endsWith(".txt") || name.startsWith("TEST-")
                        && name.endsWith(".xml")))
                || path.contains("/test-reports/")
                || (name.startsWith("gateway") && name.endsWith(".out"));
    }
}
