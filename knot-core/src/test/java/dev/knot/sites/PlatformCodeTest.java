package dev.knot.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformCodeTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "java.lang.Thread,                                                  true",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync,              true",
            "javax.management.ObjectName,                                       true",
            "jdk.internal.misc.Unsafe,                                          true",
            "sun.nio.ch.SocketDispatcher,                                       true",
            "com.sun.management.internal.DiagnosticCommandImpl,                 true",
            "org.junit.jupiter.engine.execution.MethodInvocation,               true",
            "org.junit.platform.launcher.core.EngineExecutionOrchestrator,      true",
            "org.apache.maven.surefire.booter.ForkedBooter,                     true",
            "org.gradle.api.internal.tasks.testing.worker.TestWorker,           true",
            "worker.org.gradle.process.internal.worker.GradleWorkerMain,        true",
            // lambda classes: JDK 17 names them $$Lambda$N/0x…, JDK 21+ $$Lambda/0x…
            "dev.knot.examples.Ex01MonitorDeadlock$$Lambda$10/0x00007f6dcc003b08, true",
            "com.acme.Checkout$$Lambda/0x000001f0010a2c40,                      true",
            "com.acme.Checkout,                                                 false",
            "com.acme.Checkout$Lambda,                                          false",
            "dev.knot.examples.Ex01MonitorDeadlock,                             false",
            // Knot's own junit classes are knot-junit's rule, not platform code
            "dev.knot.junit.KnotExtension,                                      false",
            // a prefix counts only up to its dot
            "javafx.application.Application,                                    false",
            "jdkx.Tool,                                                         false",
            "sunrise.Scheduler,                                                 false",
            "com.sunny.Client,                                                  false",
            "org.junitpioneer.jupiter.RetryingTest,                             false",
            "org.gradlex.Plugin,                                                false",
            "org.apache.maven.model.Model,                                      false",
    })
    void tellsPlatformCodeByClassName(String className, boolean platform) {
        assertEquals(platform, PlatformCode.isPlatform(className), className);
    }
}
