package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reading /proc/<pid>/io and strace's -c table. */
class FlashTest {

    @Test
    void ioCountersAndTheirDifference() {
        Flash.Io before = Flash.Io.parse("rchar: 10\nwchar: 100\nsyscr: 1\nsyscw: 5\nread_bytes: 0\nwrite_bytes: 4096\n"
            + "cancelled_write_bytes: 0\n");
        Flash.Io after = Flash.Io.parse("rchar: 10\nwchar: 300\nsyscr: 1\nsyscw: 7\nread_bytes: 0\nwrite_bytes: 12288\n"
            + "cancelled_write_bytes: 4096\n");
        assertEquals(new Flash.Io(200, 2, 8192, 4096), after.minus(before));
        assertEquals(new Flash.Io(0, 0, 0, 0), Flash.Io.parse(""), "unreadable: zeros");
    }

    @Test
    void forcesAreTheCallsOfEverySyscallRow() {
        String table = String.join("\n",
            "% time     seconds  usecs/call     calls    errors syscall",
            "------ ----------- ----------- --------- --------- ----------------",
            " 90.00    0.009000         100        90           fdatasync",
            " 10.00    0.001000         100        10         1 fsync",
            "------ ----------- ----------- --------- --------- ----------------",
            "100.00    0.010000         100       100         1 total");
        assertEquals(100, Flash.SyscallCount.calls(table));
        assertEquals(0, Flash.SyscallCount.calls(""));
    }
}
