package dev.knot.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.input.DumpReader;
import dev.knot.sites.WaitSite.Meaning;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalogue itself: well-formed entries, how a stack is read, and coverage of the parks in real JDK dumps. */
class WaitSitesTest {

    @Test
    void everyEntryIsWellFormedAndUnique() {
        Set<String> seen = new HashSet<>();
        for (WaitSite s : WaitSites.entries()) {
            assertTrue(seen.add(s.where()), "listed twice: " + s.where());
            assertTrue(s.where().lastIndexOf('.') > 0, s.where());
            assertTrue(!s.library().isBlank(), s.where());
            if (s.meaning() == Meaning.WAITS) {
                assertNotNull(s.kind(), s.where());
                assertNotNull(s.naming(), s.where());
                assertTrue(s.mode() != null || s.kind() == ResourceKind.BOUNDED_QUEUE, "no wait mode: " + s.where());
            } else {
                assertNull(s.kind(), s.where());
            }
            String cls = s.classPattern();
            assertTrue(cls.indexOf('*') < 0 || cls.indexOf('*') == 0 || cls.indexOf('*') == cls.length() - 1,
                    "a class pattern is a prefix or a suffix: " + s.where());
        }
    }

    /** The README's list of covered libraries is the catalogue's: a library added without documenting it fails here. */
    @Test
    void theReadmeNamesEveryCataloguedLibrary() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf("Covered today:");
        assertTrue(at > 0, "README section on the catalogue");
        String covered = readme.substring(at, readme.indexOf("To teach Knot a new library", at)).replaceAll("\\s+", " ");
        Set<String> missing = new TreeSet<>();
        for (WaitSite s : WaitSites.entries()) {
            String lib = s.library().replace("Apache HttpClient 5", "Apache HttpClient").replace("log4j 1", "log4j");
            if (!lib.equals("any") && !lib.equals("Knot") && !covered.contains(lib)) missing.add(lib);
        }
        assertEquals(Set.of(), missing);
    }

    /** Every catalogued library's classes are under one of the packages whose frames are never a user's site. */
    @Test
    void everyLibraryEntryIsInAKnownLibraryPackage() {
        Set<String> outside = new TreeSet<>();
        for (WaitSite s : WaitSites.entries()) {
            String cls = s.classPattern();
            if (s.library().startsWith("JDK") || s.library().equals("any") || s.library().equals("Knot")
                    || s.library().equals("RMI") || s.library().equals("Tomcat")) {
                continue;
            }
            if (!WaitSites.inCataloguedLibrary(cls.replace("*", "X"))) outside.add(s.library() + ": " + s.where());
        }
        assertEquals(Set.of(), outside);
    }

    @Test
    void patternsMatchWhatTheySay() {
        WaitSite exact = new WaitSite("x", "a.B.get", Meaning.IDLE, null, null, null, false);
        assertTrue(exact.matches("a.B", "get"));
        assertTrue(!exact.matches("a.B", "getAll") && !exact.matches("a.BC", "get") && !exact.matches("x.a.B", "get"));
        WaitSite methods = new WaitSite("x", "a.B.take*", Meaning.IDLE, null, null, null, false);
        assertTrue(methods.matches("a.B", "take") && methods.matches("a.B", "takeFirst") && !methods.matches("a.B", "poll"));
        WaitSite prefix = new WaitSite("x", "a.B$*.*", Meaning.IDLE, null, null, null, false);
        assertTrue(prefix.matches("a.B$Sync", "lock") && !prefix.matches("a.B", "lock"));
        WaitSite suffix = new WaitSite("x", "*BlockingQueue.put", Meaning.IDLE, null, null, null, false);
        assertTrue(suffix.matches("com.acme.MyBlockingQueue", "put") && !suffix.matches("com.acme.MyQueue", "put"));
    }

    @Test
    void theOutermostCataloguedFrameNamesTheWait() {
        List<StackFrame> borrow = frames(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await",
                "org.apache.commons.pool2.impl.LinkedBlockingDeque.takeFirst",
                "org.apache.commons.pool2.impl.GenericObjectPool.borrowObject",
                "app.Dao.load");
        WaitSites.Wait w = WaitSites.classify("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", borrow);
        assertEquals(ResourceKind.OBJECT_POOL, w.kind());
        assertEquals(WaitMode.BORROW, w.mode());
        assertEquals("org.apache.commons.pool2.impl.GenericObjectPool", w.typeName());
        assertEquals("commons-pool2", w.site().library());
    }

    @Test
    void applicationCodeEndsTheWalk() {
        // the application's own loop calls take(); whatever calls the application is not what it waits for
        List<StackFrame> consumer = frames(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await",
                "java.util.concurrent.LinkedBlockingQueue.take",
                "app.Consumer.run",
                "org.apache.commons.pool2.impl.GenericObjectPool.borrowObject");
        WaitSites.Wait w = WaitSites.classify("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", consumer);
        assertEquals(ResourceKind.BOUNDED_QUEUE, w.kind());
        assertEquals(WaitMode.TAKE, w.mode());
        assertEquals("java.util.concurrent.LinkedBlockingQueue", w.typeName());
    }

    @Test
    void aQueueHelperUnderItsPutIsReadPast() {
        List<StackFrame> put = frames("java.util.concurrent.locks.ReentrantLock.lock",
                "java.util.concurrent.LinkedBlockingQueue.signalNotEmpty", "java.util.concurrent.LinkedBlockingQueue.put", "app.P.run");
        assertEquals(WaitMode.PUT, WaitSites.classify("java.util.concurrent.locks.ReentrantLock$NonfairSync", put).mode());
    }

    @Test
    void waitingForWorkIsNoWait() {
        List<StackFrame> idleWorker = frames(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await",
                "java.util.concurrent.LinkedBlockingQueue.take",
                "java.util.concurrent.ThreadPoolExecutor.getTask",
                "java.util.concurrent.ThreadPoolExecutor.runWorker",
                "java.util.concurrent.ThreadPoolExecutor$Worker.run",
                "java.lang.Thread.run");
        assertNull(WaitSites.classify("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", idleWorker));
        assertTrue(WaitSites.idle(idleWorker));
        assertTrue(WaitSites.poolWorker(idleWorker));
        assertNull(WaitSites.classify("java.util.concurrent.ForkJoinPool", frames("app.X.y")), "parked on the pool itself");
    }

    @Test
    void withoutACataloguedFrameTheBlockerDecides() {
        assertEquals(ResourceKind.SEMAPHORE, WaitSites.classify("java.util.concurrent.Semaphore$NonfairSync", frames("app.X.y")).kind());
        assertEquals(ResourceKind.UNKNOWN_PARK, WaitSites.classify("app.Gate", frames("app.Gate.pass")).kind());
        assertEquals(ResourceKind.READ_WRITE_LOCK, WaitSites.ownableKind("java.util.concurrent.locks.ReentrantReadWriteLock$FairSync"));
        assertEquals(ResourceKind.EXCLUSIVE_LOCK, WaitSites.ownableKind("java.util.concurrent.locks.ReentrantLock$NonfairSync"));
    }

    /**
     * Every thread parked on a java.util.concurrent object in the real dumps we keep (JDK 8 to 25, jstack, jcmd text and
     * JSON, ThreadInfo text) is either waiting for work or classified as some resource: the catalogue knows every JDK
     * shape those dumps contain. A new JDK frame shape that slips through fails here with the stack that did.
     */
    @Test
    void everyJdkParkInTheRealDumpsIsKnown() throws Exception {
        Set<String> unknown = new TreeSet<>();
        int parks = 0;
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("dumps/jdk", "dumps/wild")) {
            try (Stream<Path> s = Files.list(Path.of("src/test/resources", dir))) {
                s.filter(p -> !p.toString().endsWith(".java.txt") && !p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 20, files.toString());
        for (Path file : files) {
            List<ThreadDump> dumps;
            try {
                dumps = DumpReader.readFile(file);
            } catch (Exception notADump) {
                continue;
            }
            for (ThreadDump d : dumps) {
                for (DumpedThread t : d.threads()) {
                    String blocker = parkedOn(t);
                    if (blocker == null || !(blocker.startsWith("java.util.concurrent") || blocker.isEmpty())) continue;
                    if (t.frames().isEmpty() || !t.frames().get(0).method().equals("park")) continue;
                    parks++;
                    WaitSites.Wait w = WaitSites.classify(blocker, t.frames());
                    if (w != null && w.kind() == ResourceKind.UNKNOWN_PARK && !blocker.isEmpty()) {
                        unknown.add(file.getFileName() + ": " + blocker + " at " + t.frames().subList(0, Math.min(6, t.frames().size())));
                    }
                }
            }
        }
        assertTrue(parks > 100, "parks read: " + parks);
        assertEquals(Set.of(), unknown);
    }

    private static String parkedOn(DumpedThread t) {
        for (StackFrame f : t.frames()) {
            for (LockLine l : f.locks()) {
                if (l.action() == LockLine.Action.PARKING) return l.object().className();
            }
        }
        return t.frames().isEmpty() || !t.frames().get(0).method().equals("park") ? null : "";
    }

    private static List<StackFrame> frames(String... classDotMethod) {
        List<StackFrame> out = new ArrayList<>();
        out.add(new StackFrame("jdk.internal.misc.Unsafe", "park", "java.base", "", -1, true, List.of(),
                "at jdk.internal.misc.Unsafe.park"));
        out.add(new StackFrame("java.util.concurrent.locks.LockSupport", "park", "java.base", "LockSupport.java", 371, false,
                List.of(), "at java.util.concurrent.locks.LockSupport.park"));
        for (String cm : classDotMethod) {
            int dot = cm.lastIndexOf('.');
            out.add(new StackFrame(cm.substring(0, dot), cm.substring(dot + 1), "", "X.java", 1, false, List.of(), "at " + cm));
        }
        return out;
    }
}
