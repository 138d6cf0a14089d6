package org.mpool.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link ProcLocks#holder} reads the FLOCK holder of one file out of /proc/locks lines. */
class ProcLocksParsingTest {
    private static final long INODE = 1311893;

    private static final List<String> SAMPLE = List.of(
            "1: POSIX  ADVISORY  WRITE 1234 fd:01:1311893 0 EOF",
            "2: OFDLCK ADVISORY  READ  -1 fd:01:1311893 0 EOF",
            "3: FLOCK  ADVISORY  WRITE 4242 fd:01:1311893 0 EOF",
            "3: -> FLOCK  ADVISORY  WRITE 4243 fd:01:1311893 0 EOF",
            "4: FLOCK  ADVISORY  WRITE 777 08:10:42 0 EOF",
            "5: LEASE  ACTIVE    READ  999 00:1a:42 0 EOF");

    @Test
    void findsTheFlockHolderOfTheFileIgnoringPosixAndOfdLocks() {
        assertThat(ProcLocks.holder(SAMPLE, 0xfd, 0x01, INODE)).isEqualTo(OptionalLong.of(4242));
    }

    @Test
    void majorAndMinorAreHexAndTheInodeIsDecimal() {
        assertThat(ProcLocks.holder(SAMPLE, 8, 16, 42)).isEqualTo(OptionalLong.of(777));
        assertThat(ProcLocks.holder(SAMPLE, 8, 10, 42))
                .as("minor read as decimal")
                .isEmpty();
        assertThat(ProcLocks.holder(SAMPLE, 8, 16, 0x42))
                .as("inode read as hex")
                .isEmpty();
    }

    @Test
    void aWaiterIsNotAHolder() {
        List<String> onlyWaiter = List.of("3: -> FLOCK  ADVISORY  WRITE 4243 fd:01:1311893 0 EOF");
        assertThat(ProcLocks.holder(onlyWaiter, 0xfd, 0x01, INODE)).isEmpty();
    }

    @Test
    void otherFilesDoNotMatch() {
        assertThat(ProcLocks.holder(SAMPLE, 0xfd, 0x01, INODE + 1))
                .as("other inode")
                .isEmpty();
        assertThat(ProcLocks.holder(SAMPLE, 0xfd, 0x02, INODE))
                .as("other minor")
                .isEmpty();
        assertThat(ProcLocks.holder(SAMPLE, 0xfe, 0x01, INODE))
                .as("other major")
                .isEmpty();
        assertThat(ProcLocks.holder(SAMPLE, 0, 0x1a, 42))
                .as("a lease is not a flock")
                .isEmpty();
    }

    @Test
    void indentedAndWideDeviceNumbersParse() {
        List<String> lines = List.of("   12: FLOCK  ADVISORY  WRITE 31337 103:02:9876543210 0 EOF");
        assertThat(ProcLocks.holder(lines, 0x103, 0x02, 9876543210L)).isEqualTo(OptionalLong.of(31337));
    }

    @Test
    void malformedLinesNameNoHolder() {
        List<String> garbage = List.of(
                "",
                "FLOCK",
                "1: FLOCK ADVISORY WRITE",
                "1: FLOCK ADVISORY WRITE x fd:01:5 0 EOF",
                "1: FLOCK ADVISORY WRITE 7 fd:01 0 EOF",
                "1: FLOCK ADVISORY WRITE 7 zz:01:5 0 EOF");
        assertThat(ProcLocks.holder(garbage, 0xfd, 0x01, 5)).isEmpty();
        assertThat(ProcLocks.holder(List.of(), 0xfd, 0x01, 5)).isEmpty();
    }
}
