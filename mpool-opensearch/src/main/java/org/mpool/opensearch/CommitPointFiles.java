package org.mpool.opensearch;

/**
 * Which files of a shard stay plain files in its index folder: the commit point. OpenSearch opens
 * {@code NIOFSDirectory} on the index folder itself, bypassing the store plugin, to read the latest
 * commit of a shard that is not open (primary allocation after a restart: {@code
 * Store.tryOpenIndex}; corruption markers: {@code Store.failIfCorrupted}), so those files must be
 * where it looks (upstream issues #3952 and #17202).
 *
 * <table>
 * <caption>Plain files</caption>
 * <tr><th>name</th><th>what</th></tr>
 * <tr><td>{@code segments_N}</td><td>the commit point: the segments and their generation</td></tr>
 * <tr><td>{@code pending_segments_N}</td><td>a commit point being written (renamed to segments_N)</td></tr>
 * <tr><td>{@code *.si}</td><td>a segment's info, read with the commit point</td></tr>
 * <tr><td>{@code write.lock}</td><td>the index writer's lock (a native file lock)</td></tr>
 * <tr><td>{@code corrupted_*}</td><td>OpenSearch's marker of a corrupted store</td></tr>
 * </table>
 *
 * <p>A recovery or a segment replication writes a file under a temporary name ({@code
 * recovery.UUID.NAME}, {@code replication.UUID.NAME}) and renames it to NAME: the rule looks at
 * NAME, so that a file and its temporary name always live on the same side and a rename never
 * crosses from one side to the other.
 */
final class CommitPointFiles {
    static final String WRITE_LOCK = "write.lock";
    private static final String[] TEMP_PREFIXES = {"recovery.", "replication."};

    private CommitPointFiles() {}

    /** Whether {@code name} is a plain file of the index folder (the commit point) rather than an mpool file. */
    static boolean isPlain(String name) {
        String base = finalName(name);
        return base.startsWith("segments_")
                || base.startsWith("pending_segments_")
                || base.endsWith(".si")
                || base.equals(WRITE_LOCK)
                || base.startsWith("corrupted_");
    }

    /** The name a temporary file will be renamed to ({@code recovery.UUID.NAME} gives NAME); other names unchanged. */
    static String finalName(String name) {
        for (String prefix : TEMP_PREFIXES) {
            if (name.startsWith(prefix)) {
                // The UUID is base64url: it has no '.', so NAME starts after the next one.
                int dot = name.indexOf('.', prefix.length());
                return dot < 0 ? name : name.substring(dot + 1);
            }
        }
        return name;
    }
}
