package org.mpool.lucene;

import org.apache.lucene.store.DataAccessHint;
import org.apache.lucene.store.FileTypeHint;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.PreloadHint;
import org.apache.lucene.store.ReadOnceHint;
import org.mpool.common.Reaper.Advice;

/**
 * How an input reads, from Lucene's {@link IOContext}: the mcache advice of its map (what its
 * pages are worth to the reaper), whether it reads sequentially (then it asks for readahead a
 * window ahead: maps fault single pages otherwise), whether to load it whole at open, and whether
 * only the opening thread reads it.
 *
 * <table>
 * <caption>IOContext to policy</caption>
 * <tr><th>context</th><th>advice</th><th>sequential</th></tr>
 * <tr><td>MERGE, FLUSH, READONCE</td><td>COLD: evicted first, never at the cost of the search's pages</td><td>yes</td></tr>
 * <tr><td>{@link PreloadHint}</td><td>HOT, and read in whole at open</td><td>no</td></tr>
 * <tr><td>{@link FileTypeHint#INDEX} (terms index, points index, vector graph)</td><td>HOT</td><td>no</td></tr>
 * <tr><td>{@link DataAccessHint#SEQUENTIAL}</td><td>WARM</td><td>yes</td></tr>
 * <tr><td>anything else</td><td>WARM</td><td>no</td></tr>
 * </table>
 */
record ReadPolicy(Advice advice, boolean sequential, boolean preload, boolean readOnce) {
    static ReadPolicy of(IOContext context) {
        boolean readOnce = context.hints().contains(ReadOnceHint.INSTANCE);
        boolean bulk = context.context() == IOContext.Context.MERGE
                || context.context() == IOContext.Context.FLUSH
                || readOnce;
        boolean preload = context.hints().contains(PreloadHint.INSTANCE);
        Advice advice;
        if (bulk) {
            advice = Advice.COLD;
        } else if (preload || context.hints().contains(FileTypeHint.INDEX)) {
            advice = Advice.HOT;
        } else {
            advice = Advice.WARM;
        }
        boolean sequential = bulk || context.hints().contains(DataAccessHint.SEQUENTIAL);
        return new ReadPolicy(advice, sequential, preload && !bulk, readOnce);
    }
}
