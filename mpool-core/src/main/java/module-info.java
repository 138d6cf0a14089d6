/**
 * mpool-core: a transactional object store on block devices. No runtime dependencies; native
 * calls go through java.lang.foreign. A client sees the handles ({@code org.mpool}), the values
 * they take and give ({@code org.mpool.common}) and the device interface
 * ({@code org.mpool.spi}); everything else is the implementation (docs/ARCHITECTURE.md).
 */
module org.mpool.core {
    exports org.mpool;
    exports org.mpool.common;
    exports org.mpool.spi;
}
