package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The built agent jar: what the JVM needs to load it, and nothing that could clash with an application. */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class AgentJarIT {

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("knot.agent.jar", "target/knot-agent.jar"));
        assertTrue(Files.isRegularFile(jar), "agent jar not built: " + jar.toAbsolutePath());
        return jar;
    }

    @Test
    void manifestMakesItAnAgent() throws IOException {
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.knot.agent.KnotAgent", a.getValue("Premain-Class"));
            assertEquals("dev.knot.agent.KnotAgent", a.getValue("Agent-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
            assertEquals("true", a.getValue("Can-Redefine-Classes"));
            assertEquals(null, a.getValue("Main-Class"));
            assertEquals(null, a.getValue("Class-Path"), "an agent's Class-Path would be added to the application's");
            assertEquals(null, a.getValue("Boot-Class-Path"));
        }
    }

    @Test
    void onlyDevAndMetaInfAtTheTop() throws IOException {
        Set<String> top = new TreeSet<>();
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            jar.stream().forEach(e -> top.add(e.getName().split("/", 2)[0] + (e.getName().contains("/") ? "/" : "")));
        }
        assertEquals(Set.of("dev/", "META-INF/"), top);
    }

    @Test
    void everyClassIsUnderTheAgentsOwnPackage() throws IOException {
        List<String> outside = new ArrayList<>();
        List<String> services = new ArrayList<>();
        int jackson = 0;
        int core = 0;
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String n = e.getName();
                if (n.startsWith("META-INF/services/") && !e.isDirectory()) services.add(n);
                if (!n.endsWith(".class")) continue;
                if (!n.startsWith("dev/knot/agent/")) outside.add(n);
                if (n.startsWith("dev/knot/agent/shaded/jackson/databind/ObjectMapper")) jackson++;
                if (n.equals("dev/knot/agent/shaded/knot/live/LiveSnapshot.class")) core++;
            }
        }
        assertEquals(List.of(), outside, "classes outside dev/knot/agent/ could clash with the application's");
        assertEquals(List.of(), services, "service files would be seen by the application's ServiceLoader");
        assertTrue(jackson > 0, "Jackson relocated to dev.knot.agent.shaded.jackson");
        assertEquals(1, core, "knot-core relocated to dev.knot.agent.shaded.knot");
    }

    @Test
    void noClassRefersToAnUnrelocatedDependency() throws IOException {
        List<String> bad = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (!e.getName().endsWith(".class")) continue;
                String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                // internal names (class references); message strings may still mention com.fasterxml
                for (String pkg : List.of("com/fasterxml/", "dev/knot/input/", "dev/knot/live/",
                        "dev/knot/model/", "dev/knot/rules/", "dev/knot/findings/", "dev/knot/render/")) {
                    if (text.contains(pkg)) bad.add(e.getName() + " -> " + pkg);
                }
            }
        }
        assertTrue(bad.isEmpty(), "unrelocated references: " + bad);
    }

    @Test
    void notMultiReleaseAndNoModuleDescriptor() throws IOException {
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            assertFalse(jar.isMultiRelease());
            assertTrue(jar.stream().noneMatch(e -> e.getName().endsWith("module-info.class")));
        }
    }
}
