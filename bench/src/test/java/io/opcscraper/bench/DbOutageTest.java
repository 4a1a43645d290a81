package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The gateway's database URL through the outage's proxy: host and port replaced, database and parameters kept. */
class DbOutageTest {

    @Test
    void hostAndPortAreReplaced() {
        assertEquals("jdbc:postgresql://127.0.0.1:40001/opcscraper?sslmode=disable",
            DbOutage.throughProxy("jdbc:postgresql://db.example:5433/opcscraper?sslmode=disable", 40001));
        assertEquals("jdbc:postgresql://127.0.0.1:40001/opcscraper",
            DbOutage.throughProxy("jdbc:postgresql://localhost/opcscraper", 40001));
    }

    @Test
    void severalHostsAreRefused() {
        assertThrows(IllegalArgumentException.class,
            () -> DbOutage.throughProxy("jdbc:postgresql://a:5432,b:5432/opcscraper", 40001));
    }
}
