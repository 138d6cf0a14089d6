package org.mpool.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of mpool-core and the only dependencies allowed between them (docs/ARCHITECTURE.md
 * draws them). A dependency not listed here fails the build, as does any package cycle.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/mpool-testing/"))
                .importPackages("org.mpool");
    }

    /** Each layer, bottom up, and who may use it. */
    static final ArchRule LAYERS = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("format")
            .definedBy("org.mpool.format")
            .layer("common")
            .definedBy("org.mpool.common")
            .layer("observe")
            .definedBy("org.mpool.observe")
            .layer("linux")
            .definedBy("org.mpool.linux")
            .layer("spi")
            .definedBy("org.mpool.spi")
            .layer("device")
            .definedBy("org.mpool.device")
            .layer("space")
            .definedBy("org.mpool.space")
            .layer("log")
            .definedBy("org.mpool.log")
            .layer("meta")
            .definedBy("org.mpool.meta")
            .layer("cache")
            .definedBy("org.mpool.cache")
            .layer("pool")
            .definedBy("org.mpool.pool")
            .layer("api")
            .definedBy("org.mpool")
            .whereLayer("api")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("pool")
            .mayOnlyBeAccessedByLayers("api")
            .whereLayer("cache")
            .mayOnlyBeAccessedByLayers("pool", "api")
            .whereLayer("meta")
            .mayOnlyBeAccessedByLayers("pool")
            .whereLayer("log")
            .mayOnlyBeAccessedByLayers("meta", "pool", "api")
            .whereLayer("space")
            .mayOnlyBeAccessedByLayers("pool")
            .whereLayer("device")
            .mayOnlyBeAccessedByLayers("log", "cache", "pool", "api")
            .whereLayer("spi")
            .mayOnlyBeAccessedByLayers("device", "log", "cache", "pool", "api")
            .whereLayer("linux")
            .mayOnlyBeAccessedByLayers("device", "cache", "pool")
            .whereLayer("observe")
            .mayOnlyBeAccessedByLayers("device", "log", "meta", "cache", "pool", "api")
            .whereLayer("common")
            .mayOnlyBeAccessedByLayers("linux", "spi", "device", "space", "log", "meta", "cache", "pool", "api")
            .whereLayer("format")
            .mayOnlyBeAccessedByLayers("common", "observe", "device", "log", "meta", "pool", "api");

    @Test
    void layersDependOnlyDownwardAsAllowed() {
        LAYERS.check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.mpool.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void formatDependsOnNothingButTheJdk() {
        classes()
                .that()
                .resideInAPackage("org.mpool.format")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("org.mpool.format", "java..")
                .check(core);
    }

    /**
     * What a client sees stays small: the public top-level types of the exported packages
     * (module-info) are at most 15 (issue 15); values that belong to one of them nest in it.
     */
    @Test
    void theExportedApiHasAtMostFifteenTopLevelTypes() {
        List<String> exported = core.stream()
                .filter(c ->
                        Set.of("org.mpool", "org.mpool.common", "org.mpool.spi").contains(c.getPackageName()))
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(c -> c.getSimpleName())
                .sorted()
                .toList();
        Assertions.assertThat(exported)
                .as("public top-level types of org.mpool, org.mpool.common, org.mpool.spi")
                .hasSizeLessThanOrEqualTo(15);
    }
}
