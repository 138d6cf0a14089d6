/**
 * Runnable examples of mpool's client API (docs/API.md). Compiled as a module that requires only
 * org.mpool.core: an import of anything mpool-core does not export fails the build.
 */
module org.mpool.examples {
    requires org.mpool.core;
}
