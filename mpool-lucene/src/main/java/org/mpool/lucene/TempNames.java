package org.mpool.lucene;

import org.apache.lucene.index.IndexFileNames;

/** Names of temporary files, in Lucene's form: {@code prefix_suffix_N.tmp} with N in base 36. */
final class TempNames {
    private TempNames() {}

    static String name(String prefix, String suffix, long counter) {
        return IndexFileNames.segmentFileName(
                prefix, suffix + "_" + Long.toString(counter, Character.MAX_RADIX), "tmp");
    }
}
