package org.mpool.common;

import java.util.List;

/**
 * What {@link Mpool#check} found.
 *
 * @param objectsChecked committed objects whose data or records were verified
 * @param bytesChecked object bytes read and verified
 * @param problems one line per problem, naming the object and the offset; empty when healthy
 */
public record CheckReport(long objectsChecked, long bytesChecked, List<String> problems) {
    public boolean healthy() {
        return problems.isEmpty();
    }
}
