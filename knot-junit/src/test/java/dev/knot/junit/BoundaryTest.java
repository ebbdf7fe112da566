package dev.knot.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** knot-junit uses knot-core's exported API only (module-info of knot-core): never the wait-for model. */
class BoundaryTest {
    @Test
    void theModelStaysInsideKnotCore() {
        noClasses().that().resideInAPackage("dev.knot.junit..")
                .should().dependOnClassesThat().resideInAPackage("dev.knot.model..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.knot.junit"));
    }
}
