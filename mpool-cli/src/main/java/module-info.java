/**
 * The mpool command. It uses only what mpool-core exports: compiled as a module, an import of
 * anything else fails the build.
 */
module org.mpool.cli {
    requires org.mpool.core;
    requires info.picocli;

    // picocli fills in the commands' annotated fields by reflection
    opens org.mpool.cli to
            info.picocli;
}
