package org.mpool.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what a client gets, so they may use only what mpool-core exports
 * (org.mpool, org.mpool.common, org.mpool.spi; see its module-info): no class of org.mpool.bench
 * may depend on any other package under org.mpool. Written as "anything under org.mpool but
 * these", so a new internal package is covered without editing this test.
 */
class ExportsOnlyTest {
    private static final Set<String> ALLOWED =
            Set.of("org.mpool", "org.mpool.common", "org.mpool.spi", "org.mpool.bench");

    private static final DescribedPredicate<JavaClass> INTERNAL_TO_MPOOL_CORE = DescribedPredicate.describe(
            "reside in a package of mpool-core that it does not export (under org.mpool, other than "
                    + "org.mpool, org.mpool.common, org.mpool.spi)",
            c -> {
                String p = c.getPackageName();
                return (p.equals("org.mpool") || p.startsWith("org.mpool."))
                        && !ALLOWED.contains(p)
                        && !p.startsWith("org.mpool.bench.");
            });

    @Test
    void usesOnlyWhatMpoolCoreExports() {
        noClasses()
                .should()
                .dependOnClassesThat(INTERNAL_TO_MPOOL_CORE)
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.mpool.bench"));
    }
}
