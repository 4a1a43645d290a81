package io.opcscraper.timescale.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.opcscraper.timescale.TestDatabase;

/**
 * Edition detection against the real TimescaleDB (Apache edition) and the database without the
 * extension; fails (never skips) when they cannot be reached.
 */
class EditionTest {

    private final TestDatabase db = TestDatabase.fromEnvironment();

    @Test
    void timescaleDatabaseIsTheApacheEdition() throws SQLException {
        try (Connection c = db.connect()) {
            assertEquals(Edition.APACHE, Edition.detect(c));
            assertEquals(Edition.APACHE, Edition.detect(c, false));
        }
    }

    @Test
    void plainDatabaseIsPlainPostgresqlAndIsLeftAlone() throws SQLException {
        try (Connection c = db.connectPlain()) {
            assertFalse(DbSupport.timescaleInstalled(c), db.plainUrl() + " must not have the timescaledb extension");
            assertEquals(Edition.POSTGRESQL, Edition.detect(c, false));
            assertFalse(DbSupport.timescaleInstalled(c), "detect(c, false) created the extension");
        }
    }

    /** A database where the extension is available but not created: provisioning creates it. */
    @Test
    void createsTheExtensionWhereItIsAvailable() throws SQLException {
        String name = DbSupport.uniqueTable("opcscraper_edition");
        try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + TableNames.quote(name));
            try {
                try (Connection c = DriverManager.getConnection(urlOf(name), db.connectionProperties())) {
                    assertFalse(DbSupport.timescaleInstalled(c));
                    // The provisioner detects inside its transaction (the attempt runs in a
                    // savepoint) and makes a hypertable in the same transaction.
                    assertEquals(Edition.APACHE, new SchemaProvisioner().provision(c, "sensor_data",
                            new SchemaSettings(100_000, 0, 3600, true, 60)));
                    assertTrue(DbSupport.timescaleInstalled(c));
                    assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM timescaledb_information.hypertables"
                            + " WHERE hypertable_name = 'sensor_data'"));
                    assertEquals(Edition.APACHE, Edition.detect(c));
                }
            } finally {
                st.execute("DROP DATABASE IF EXISTS " + TableNames.quote(name) + " WITH (FORCE)");
            }
        }
    }

    /**
     * A user who may not create the extension: plain PostgreSQL, no exception, and the caller's
     * transaction is still usable (the failed CREATE EXTENSION was rolled back to a savepoint).
     */
    @Test
    void fallsBackToPlainPostgresqlWhenTheExtensionCannotBeCreated() throws SQLException {
        String name = DbSupport.uniqueTable("opcscraper_edition");
        String role = DbSupport.uniqueTable("opcscraper_norole");
        try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + TableNames.quote(name));
            st.execute("CREATE ROLE " + TableNames.quote(role) + " NOLOGIN NOSUPERUSER NOCREATEDB");
            try {
                try (Connection c = DriverManager.getConnection(urlOf(name), db.connectionProperties());
                        Statement cs = c.createStatement()) {
                    cs.execute("REVOKE CREATE ON DATABASE " + TableNames.quote(name) + " FROM PUBLIC");
                    c.setAutoCommit(false);
                    cs.execute("SET ROLE " + TableNames.quote(role));
                    assertEquals(Edition.POSTGRESQL, Edition.detect(c));
                    assertEquals(1, DbSupport.count(c, "SELECT 1"), "the transaction is still usable");
                    c.rollback();
                    cs.execute("RESET ROLE");
                    assertFalse(DbSupport.timescaleInstalled(c));
                }
            } finally {
                st.execute("DROP DATABASE IF EXISTS " + TableNames.quote(name) + " WITH (FORCE)");
                st.execute("DROP ROLE IF EXISTS " + TableNames.quote(role));
            }
        }
    }

    /** The test database's URL with another database name. */
    private String urlOf(String database) {
        String url = db.url();
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }
}
