package org.mpool.lucene;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * mpool-lucene is a client of mpool like any other: it must run on mpool-core's exported API
 * alone (org.mpool, org.mpool.common, org.mpool.spi).
 */
class ExportsOnlyTest {
    @Test
    void usesOnlyWhatMpoolCoreExports() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.mpool.device..",
                        "org.mpool.format..",
                        "org.mpool.linux..",
                        "org.mpool.log..",
                        "org.mpool.meta..",
                        "org.mpool.space..",
                        "org.mpool.cache..",
                        "org.mpool.pool..",
                        "org.mpool.testing..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.mpool.lucene"));
    }
}
