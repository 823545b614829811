package io.gatehouse.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module and package rules of DESIGN.md, held against the compiled main code of every module: protocols and
 * runtimes plug in through the SPI alone, the JVM app API stands on its own, and no packages form a cycle.
 */
@AnalyzeClasses(packages = "io.gatehouse", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] PLATFORM = {"java..", "javax..", "io.netty.."};

    @ArchTest
    static final ArchRule appApiUsesNothingOfGatehouse = classes().that().resideInAPackage("io.gatehouse.app..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.gatehouse.app..", "java..");

    @ArchTest
    static final ArchRule protocolsUseOnlyTheSpi = classes().that().resideInAPackage("io.gatehouse.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(allowed("io.gatehouse.protocol.."));

    @ArchTest
    static final ArchRule runtimesUseOnlyTheSpi = classes().that().resideInAPackage("io.gatehouse.runtime..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(allowed("io.gatehouse.runtime.."));

    @ArchTest
    static final ArchRule protocolsAreIndependent = slices().matching("io.gatehouse.protocol.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule runtimesAreIndependent = slices().matching("io.gatehouse.runtime.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule spiKeepsOutOfTheEngine = noClasses().that().resideInAPackage("io.gatehouse.spi..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.core..", "io.gatehouse.protocol..",
                    "io.gatehouse.runtime..", "io.gatehouse.cli..");

    @ArchTest
    static final ArchRule engineKnowsNoProtocolOrRuntime = noClasses().that().resideInAPackage("io.gatehouse.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.protocol..", "io.gatehouse.runtime..");

    @ArchTest
    static final ArchRule configStandsBelowEverything = noClasses().that().resideInAPackage("io.gatehouse.config..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.core..", "io.gatehouse.spi..",
                    "io.gatehouse.app..", "io.gatehouse.protocol..", "io.gatehouse.runtime..", "io.netty..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.gatehouse.(**)").should().beFreeOfCycles();

    /** What a plug-in module may use: itself, the SPI, the app API, the config model, Java and Netty. */
    private static String[] allowed(String self) {
        String[] gatehouse = {self, "io.gatehouse.spi..", "io.gatehouse.app..", "io.gatehouse.config.."};
        String[] all = new String[gatehouse.length + PLATFORM.length];
        System.arraycopy(gatehouse, 0, all, 0, gatehouse.length);
        System.arraycopy(PLATFORM, 0, all, gatehouse.length, PLATFORM.length);
        return all;
    }
}
