package dev.knot;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.knot.findings.Certainty;
import dev.knot.sites.ResourceKind;
import dev.knot.sites.WaitMode;
import org.junit.jupiter.api.Test;

/**
 * knot-core's packages follow the pipeline one way: the snapshot records at the bottom; the catalogue of wait sites
 * on them; inputs (parsers, file formats) and the live producer make snapshots; the model reads snapshots and the
 * catalogue; rules read the model and make findings; renderers draw findings. Checked on the compiled classes.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.knot");

    @Test
    void theClassesAreThere() {
        assertTrue(CORE.contain(dev.knot.model.WaitGraph.class) && CORE.size() > 50, "imported " + CORE.size() + " classes");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.knot.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void snapshotRecordsDependOnNoOtherPackage() {
        noClasses().that().resideInAPackage("dev.knot.snapshot..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.sites..", "dev.knot.input..",
                        "dev.knot.live..", "dev.knot.model..", "dev.knot.rules..", "dev.knot.findings..", "dev.knot.render..")
                .check(CORE);
    }

    @Test
    void theCatalogueOfWaitSitesReadsSnapshotRecordsOnly() {
        noClasses().that().resideInAPackage("dev.knot.sites..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.input..", "dev.knot.live..",
                        "dev.knot.model..", "dev.knot.rules..", "dev.knot.findings..", "dev.knot.render..")
                .check(CORE);
    }

    @Test
    void inputsKnowNothingOfTheAnalysis() {
        noClasses().that().resideInAnyPackage("dev.knot.input..", "dev.knot.live..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.model..", "dev.knot.rules..",
                        "dev.knot.findings..", "dev.knot.render..")
                .check(CORE);
    }

    @Test
    void theModelReadsSnapshotsAndTheCatalogue() {
        noClasses().that().resideInAPackage("dev.knot.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.input..", "dev.knot.live..",
                        "dev.knot.rules..", "dev.knot.render..")
                .orShould().dependOnClassesThat(resideInAPackage("dev.knot.findings..").and(not(equivalentTo(Certainty.class))))
                .check(CORE);
    }

    /** Rules read the model only: the catalogue's vocabulary (kinds and modes) but never its frame knowledge. */
    @Test
    void rulesNeverBypassTheModelToReadFrames() {
        noClasses().that().resideInAPackage("dev.knot.rules..")
                .should().dependOnClassesThat(resideInAPackage("dev.knot.sites..")
                        .and(not(equivalentTo(ResourceKind.class))).and(not(equivalentTo(WaitMode.class))))
                .check(CORE);
    }

    @Test
    void findingsAreRecordsOfTheirOwn() {
        noClasses().that().resideInAPackage("dev.knot.findings..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.sites..", "dev.knot.input..",
                        "dev.knot.live..", "dev.knot.model..", "dev.knot.rules..", "dev.knot.render..")
                .check(CORE);
    }

    @Test
    void renderersDrawFindingsNotTheModel() {
        noClasses().that().resideInAPackage("dev.knot.render..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.knot.input..", "dev.knot.live..",
                        "dev.knot.model..", "dev.knot.rules..")
                .check(CORE);
    }
}
