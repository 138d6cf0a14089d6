package org.mpool.lucene;

import java.io.IOException;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.LockObtainFailedException;
import org.mpool.common.MpoolException;

/**
 * mpool's errors as Lucene expects them: an {@link IOException}, CORRUPT as a {@link
 * CorruptIndexException} and LOCKED as a {@link LockObtainFailedException}. The message says
 * what the directory was doing and mpool's code; the cause keeps mpool's exception.
 */
final class Errors {
    private Errors() {}

    static IOException io(MpoolException e, String doing) {
        String message = doing + ": " + e.code() + ": " + e.getMessage();
        return switch (e.code()) {
            case CORRUPT -> new CorruptIndexException(message, doing, e);
            case LOCKED -> new LockObtainFailedException(message, e);
            case NO_SPACE -> new IOException(doing + ": the pool is full: " + e.getMessage(), e);
            default -> new IOException(message, e);
        };
    }
}
