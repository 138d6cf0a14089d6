package org.mpool.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemInfoTest {
    @Test
    void parsesMemTotalInKibibytes() {
        assertThat(MemInfo.parseMemTotal("MemTotal:       24683620 kB\nMemFree:  1 kB\n"))
                .isEqualTo(24683620L * 1024);
    }

    @Test
    void readsThisMachine() {
        assertThat(MemInfo.memTotalBytes()).isGreaterThan(64L << 20);
    }
}
