package org.mpool.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * mpool-testing is what users' tests get: it must run on mpool-core's exported API alone
 * (org.mpool, org.mpool.common, org.mpool.spi), as a user's code does.
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
                        "org.mpool.pool..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.mpool.testing"));
    }
}
