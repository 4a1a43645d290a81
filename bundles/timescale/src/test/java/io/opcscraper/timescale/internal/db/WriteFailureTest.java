package io.opcscraper.timescale.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class WriteFailureTest {

    private static WriteFailure.Kind kind(String sqlState) {
        return WriteFailure.of(new SQLException("x", sqlState)).kind();
    }

    @Test
    void dataErrorsArePermanentAndEverythingElseIsTemporary() {
        assertEquals(WriteFailure.Kind.DATA, kind("22021"));
        assertEquals(WriteFailure.Kind.DATA, kind("23502"));
        assertEquals(WriteFailure.Kind.DATABASE, kind("08006"));
        assertEquals(WriteFailure.Kind.DATABASE, kind("57P01"));
        assertEquals(WriteFailure.Kind.DATABASE, kind("42P01"));
        assertEquals(WriteFailure.Kind.DATABASE, kind("53100"));
        assertEquals(WriteFailure.Kind.DATABASE, kind(null));
        assertEquals(WriteFailure.Kind.AUTHENTICATION, kind("28P01"));
        assertFalse(WriteFailure.of(new SQLException("x", "23502")).isTemporary());
        assertTrue(WriteFailure.of(new SQLException("connection reset")).isTemporary());
    }

    @Test
    void theStateOfAChainedExceptionCounts() {
        SQLException outer = new SQLException("batch failed");
        outer.setNextException(new SQLException("value out of range", "22003"));
        assertEquals(WriteFailure.Kind.DATA, WriteFailure.of(outer).kind());
        assertEquals("22003 batch failed", WriteFailure.of(outer).describe());
    }

    @Test
    void failuresThatAreNotTheDatabasesHaveKindsOfTheirOwnAndNoMadeUpSqlState() {
        WriteFailure spool = WriteFailure.localStorage("spool /x", new IOException("No space left on device"));
        assertEquals(WriteFailure.Kind.LOCAL_STORAGE, spool.kind());
        assertEquals("spool /x: No space left on device", spool.describe());
        assertEquals(WriteFailure.Kind.ALREADY_COMMITTED, WriteFailure.alreadyCommitted("seq 1..2").kind());
        assertEquals("seq 1..2", WriteFailure.alreadyCommitted("seq 1..2").describe());
        assertTrue(WriteFailure.stopping().isTemporary());
    }
}
