package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knot.examples.Ex01MonitorDeadlock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Starting a JVM's attach listener ahead of the attach API: the listener comes up, the JVM prints no thread dump,
 * the attach file is gone afterwards; and no signal is sent where the JVM could take it as anything else.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class AttachListenerTest {
    private final List<Process> started = new ArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final String me = System.getProperty("user.name");

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsTheListenerWithoutAThreadDump() throws Exception {
        long pid = startJvm();
        AttachListener listener = AttachListener.start(pid, me);
        assertNotNull(listener, "a JVM of this user that supports attach gets the request");
        assertTrue(listener.await(10_000), "listener socket");
        assertTrue(Files.exists(Path.of("/tmp/.java_pid" + pid)));
        assertFalse(Files.exists(Path.of("/proc/" + pid + "/cwd/.attach_pid" + pid)), "attach file deleted");
        assertNull(AttachListener.start(pid, me), "a running listener gets no second signal");
        Thread.sleep(300);
        assertTrue(output.stream().noneMatch(l -> l.startsWith("Full thread dump")), String.join("\n", output));
        assertTrue(started.get(0).isAlive());
    }

    @Test
    void noSignalToAJvmWithoutAttach() throws Exception {
        long pid = startJvm("-XX:+DisableAttachMechanism");
        assertNull(AttachListener.start(pid, me));
        Thread.sleep(300);
        assertTrue(output.stream().noneMatch(l -> l.startsWith("Full thread dump")), "SIGQUIT would print a dump");
    }

    @Test
    void noSignalToAJvmThatDoesNotCatchIt() throws Exception {
        // -Xrs: no SIGQUIT handler (the signal would end it), so HotSpot starts its listener with the JVM
        long pid = startJvm("-Xrs");
        assertFalse(AttachListener.catchesSigquit(AttachListener.status(Path.of("/proc", Long.toString(pid)))));
        assertNull(AttachListener.start(pid, me));
        Thread.sleep(300);
        assertTrue(started.get(0).isAlive());
    }

    @Test
    void thisJvmCatchesSigquit() throws Exception {
        assertTrue(AttachListener.catchesSigquit(AttachListener.status(Path.of("/proc/self"))));
    }

    @Test
    void noSignalToOtherPrograms() throws Exception {
        Process p = AttachCommandTest.startSleep();
        started.add(p);
        assertNull(AttachListener.start(p.pid(), me));
        assertFalse(AttachListener.catchesSigquit(AttachListener.status(Path.of("/proc", Long.toString(p.pid())))));
        Thread.sleep(200);
        assertTrue(p.isAlive());
    }

    @Test
    void readsCapabilitiesFromPerfData() throws Exception {
        Path own = Path.of("/tmp/hsperfdata_" + me, Long.toString(ProcessHandle.current().pid()));
        assumeTrue(Files.isReadable(own), "perf data of this JVM");
        String caps = AttachListener.perfDataString(Files.readAllBytes(own), "sun.rt.jvmCapabilities");
        assertNotNull(caps);
        assertTrue(caps.matches("[01]{2,}"), caps);
        assertEquals(System.getProperty("java.vm.version"),
                AttachListener.perfDataString(Files.readAllBytes(own), "java.property.java.vm.version"));
    }

    @Test
    void malformedPerfDataIsNoAnswer() throws Exception {
        assertNull(AttachListener.perfDataString(new byte[0], "sun.rt.jvmCapabilities"));
        assertNull(AttachListener.perfDataString(new byte[64], "sun.rt.jvmCapabilities"));
        Path own = Path.of("/tmp/hsperfdata_" + me, Long.toString(ProcessHandle.current().pid()));
        assumeTrue(Files.isReadable(own), "perf data of this JVM");
        byte[] data = Files.readAllBytes(own);
        assertNull(AttachListener.perfDataString(Arrays.copyOf(data, 200), "sun.rt.jvmCapabilities"), "truncated");
        ByteBuffer.wrap(data).putInt(28, Integer.MAX_VALUE); // an entry count beyond the data
        AttachListener.perfDataString(data, "no.such.counter"); // stops at the end of the data, no exception
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(own));
        b.put(5, (byte) 1); // another format version
        assertNull(AttachListener.perfDataString(b.array(), "sun.rt.jvmCapabilities"));
    }

    /** A hung example JVM; its standard output is collected into {@link #output}. */
    private long startJvm(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(Path.of(Ex01MonitorDeadlock.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        cmd.add(Ex01MonitorDeadlock.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("READY pid=")) ready.complete(Long.parseLong(line.substring(10).strip()));
                }
                ready.completeExceptionally(new IllegalStateException("exited without READY: " + output));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }, "example-output");
        t.setDaemon(true);
        t.start();
        return ready.get(30, TimeUnit.SECONDS);
    }
}
