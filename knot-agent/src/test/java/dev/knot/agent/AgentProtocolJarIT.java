package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.knot.input.AgentProtocol;
import dev.knot.live.LiveSnapshot;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The protocol's names inside the shaded jar: the shade plugin relocates classes and rewrites string constants
 * that look like Knot class names, so the relocated copy of AgentProtocol must still name both copies right.
 */
class AgentProtocolJarIT {

    @Test
    void relocatedNamesAreTheJarsClasses() throws Exception {
        try (JarFile jar = new JarFile(AgentJarIT.agentJar().toFile())) {
            for (String name : new String[] {AgentProtocol.FAILURE_LOG_RELOCATED, AgentProtocol.KNOT_TRACKER_RELOCATED,
                    AgentProtocol.relocated(LiveSnapshot.class.getName()), AgentProtocol.relocated(AgentProtocol.class.getName())}) {
                assertNotNull(jar.getEntry(name.replace('.', '/') + ".class"), name);
            }
            assertNull(jar.getEntry(AgentProtocol.FAILURE_LOG.replace('.', '/') + ".class"));
        }
    }

    @Test
    void theShadedCopyNamesTheSameClasses() throws Exception {
        URL url = AgentJarIT.agentJar().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader())) {
            Class<?> shaded = Class.forName(AgentProtocol.relocated(AgentProtocol.class.getName()), true, loader);
            assertEquals(AgentProtocol.FAILURE_LOG, shaded.getField("FAILURE_LOG").get(null));
            assertEquals(AgentProtocol.FAILURE_LOG_RELOCATED, shaded.getField("FAILURE_LOG_RELOCATED").get(null));
            assertEquals(AgentProtocol.KNOT_TRACKER, shaded.getField("KNOT_TRACKER").get(null));
            assertEquals(AgentProtocol.KNOT_TRACKER_RELOCATED, shaded.getField("KNOT_TRACKER_RELOCATED").get(null));
            assertEquals(AgentProtocol.FAILURE_LOG_RELOCATED,
                    shaded.getMethod("inThisCopy", String.class).invoke(null, AgentProtocol.FAILURE_LOG));
            // knot-track's Failures in the agent reads its own (relocated) log
            Class<?> reader = Class.forName(AgentProtocol.relocated(dev.knot.live.FailureLogReader.class.getName()), true, loader);
            assertEquals(Boolean.FALSE, reader.getMethod("present").invoke(reader.getMethod("ownCopy").invoke(null)));
        }
    }
}
