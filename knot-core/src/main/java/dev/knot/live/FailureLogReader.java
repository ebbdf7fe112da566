package dev.knot.live;

import dev.knot.input.AgentProtocol;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads the boot-path log of task failures nobody observed ({@link AgentProtocol#FAILURE_LOG}, which knot-track's
 * tracking installs) by reflection: the agent's copy is relocated, and knot-junit has no compile-time dependency on
 * knot-track. Never throws: an absent log, or one of another version, reads as empty.
 */
public final class FailureLogReader {
    /** One row of {@code FailureLog.since}: an unobserved failure. */
    public record Row(long seq, String task, Throwable error, String errorClass, String thread, Object marker,
                      boolean completableFuture) {
    }

    private static final FailureLogReader ABSENT = new FailureLogReader(null, null, null, null, null, null);
    /** Logs found, by class name. An absent one is looked up again next time: tracking may be installed later. */
    private static final Map<String, FailureLogReader> FOUND = new ConcurrentHashMap<>();

    private final Method mark;
    private final Method since;
    private final Method dismiss;
    private final Method useMarker;
    private final Field installed;
    private final Field failures;

    private FailureLogReader(Method mark, Method since, Method dismiss, Method useMarker, Field installed, Field failures) {
        this.mark = mark;
        this.since = since;
        this.dismiss = dismiss;
        this.useMarker = useMarker;
        this.installed = installed;
        this.failures = failures;
    }

    /** The log of the copy of Knot this class belongs to (relocated inside knot-agent.jar): knot-track's own. */
    public static FailureLogReader ownCopy() {
        return find(AgentProtocol.inThisCopy(AgentProtocol.FAILURE_LOG), AgentProtocol.inThisCopy(AgentProtocol.KNOT_TRACKER));
    }

    /** The agent's log if its tracking records failures, else an unrelocated copy's if that does, else an empty one. */
    public static FailureLogReader firstRecording() {
        FailureLogReader agent = find(AgentProtocol.FAILURE_LOG_RELOCATED, AgentProtocol.KNOT_TRACKER_RELOCATED);
        if (agent.recording()) return agent;
        FailureLogReader plain = find(AgentProtocol.FAILURE_LOG, AgentProtocol.KNOT_TRACKER);
        return plain.recording() ? plain : ABSENT;
    }

    private static FailureLogReader find(String log, String tracker) {
        FailureLogReader found = FOUND.get(log);
        if (found != null) return found;
        try {
            Class<?> l = Class.forName(log, false, null); // the boot loader's copy: the one the hooks write to
            Class<?> t = Class.forName(tracker, false, null);
            found = new FailureLogReader(l.getMethod("mark"), l.getMethod("since", long.class),
                    l.getMethod("dismiss", long.class), l.getMethod("useMarker", ThreadLocal.class),
                    t.getField("installed"), t.getField("failures"));
        } catch (Throwable e) {
            return ABSENT; // tracking never installed, or a boot class of another version
        }
        FailureLogReader before = FOUND.putIfAbsent(log, found);
        return before != null ? before : found;
    }

    /** Is the log on the boot class path? */
    public boolean present() {
        return mark != null;
    }

    /** Is tracking installed, with failures among what it tracks? */
    public boolean recording() {
        try {
            return present() && installed.getBoolean(null) && failures.getBoolean(null);
        } catch (Throwable e) {
            return false;
        }
    }

    /** The current position: failures recorded later have a higher {@link Row#seq()}; 0 without a log. */
    public long mark() {
        try {
            return present() ? (Long) mark.invoke(null) : 0;
        } catch (Throwable e) {
            return 0;
        }
    }

    /** Failures recorded after {@code mark} whose outcome nobody has observed yet, oldest first. */
    public List<Row> since(long mark) {
        return since(mark, e -> { });
    }

    /** As {@link #since(long)}; a failure to read the log goes to {@code problem} (the rows read so far are returned). */
    public List<Row> since(long mark, Consumer<Throwable> problem) {
        List<Row> out = new ArrayList<>();
        if (!present()) return out;
        try {
            for (Object[] r : (Object[][]) since.invoke(null, mark)) {
                out.add(new Row((Long) r[0], (String) r[1], (Throwable) r[2], (String) r[3], (String) r[4], r[5],
                        (Boolean) r[6]));
            }
        } catch (Throwable e) {
            problem.accept(e);
        }
        return out;
    }

    /** Forgets a failure (e.g. once reported). */
    public void dismiss(long seq) {
        dismiss(seq, e -> { });
    }

    /** As {@link #dismiss(long)}; a failure goes to {@code problem}. */
    public void dismiss(long seq, Consumer<Throwable> problem) {
        if (!present()) return;
        try {
            dismiss.invoke(null, seq);
        } catch (Throwable e) {
            problem.accept(e);
        }
    }

    /** Tags every later failure with the value of this thread-local on the failing thread; false if it could not. */
    public boolean useMarker(ThreadLocal<?> marker) {
        if (!present()) return false;
        try {
            useMarker.invoke(null, marker);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
