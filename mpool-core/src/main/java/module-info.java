/**
 * mpool-core: a transactional object store on block devices. No runtime dependencies beyond the
 * JDK: native calls go through java.lang.foreign, Flight Recorder events through jdk.jfr. A
 * client sees the handles ({@code org.mpool}), the values they take and give
 * ({@code org.mpool.common}) and the device interface ({@code org.mpool.spi}); everything else
 * is the implementation (docs/ARCHITECTURE.md).
 */
module org.mpool.core {
    requires jdk.jfr;

    exports org.mpool;
    exports org.mpool.common;
    exports org.mpool.spi;
}
