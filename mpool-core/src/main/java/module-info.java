/**
 * mpool-core: a transactional object store on block devices. No runtime dependencies; native
 * calls go through java.lang.foreign.
 */
module org.mpool.core {
    exports org.mpool;
    exports org.mpool.device;
    exports org.mpool.log;
}
