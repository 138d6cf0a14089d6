package org.mpool.log;

import java.util.SplittableRandom;
import org.mpool.format.LogFormat;

/** Record sizes for log workloads: mostly small, with block-boundary, multi-block and larger-than-buffer ones. */
final class WorkloadSizes {
    private WorkloadSizes() {}

    static int pick(SplittableRandom random, int bufferBytes, long capacityBytes) {
        int dice = random.nextInt(100);
        int size;
        if (dice < 5) {
            size = 0;
        } else if (dice < 35) {
            size = 1 + random.nextInt(32);
        } else if (dice < 60) {
            size = 33 + random.nextInt(600);
        } else if (dice < 70) {
            size = LogFormat.BLOCK_PAYLOAD - 30 + random.nextInt(60);
        } else if (dice < 80) {
            size = random.nextInt(LogFormat.BLOCK_SIZE);
        } else if (dice < 92) {
            size = LogFormat.BLOCK_SIZE + random.nextInt(2 * bufferBytes);
        } else {
            size = bufferBytes + random.nextInt(2 * bufferBytes);
        }
        return (int) Math.min(size, capacityBytes / 3);
    }
}
