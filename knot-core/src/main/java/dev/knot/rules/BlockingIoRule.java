package dev.knot.rules;

import dev.knot.findings.Certainty;
import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.model.Role;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.snapshot.StackFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threads blocked in a socket read or connect that has no timeout (JDK 13+ shows which path a read took; before 13
 * nothing says, and the finding is only likely). Not a hang: the peer may answer. But if it never does (a hung
 * database, a test server that stopped replying, a connection dropped without a reset), they wait forever, holding
 * whatever they hold. One finding per call site, so 150 threads reading from one mail server are one line.
 */
final class BlockingIoRule implements Rule {

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        Map<String, List<ThreadNode>> bySite = new LinkedHashMap<>();
        Map<String, ThreadNode.SocketCall> calls = new LinkedHashMap<>();
        for (ThreadNode t : g.threads()) {
            if (claimed.has(t) || t.role() == Role.SYSTEM) continue;
            ThreadNode.SocketCall c = t.socketCall();
            if (c == null || Boolean.TRUE.equals(c.timed())) continue;
            StackFrame site = t.site();
            String key = (site == null ? "" : site.location()) + (c.timed() == null ? "?" : "");
            bySite.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            calls.putIfAbsent(key, c);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<ThreadNode>> e : bySite.entrySet()) {
            out.add(finding(e.getValue(), calls.get(e.getKey())));
        }
        return out;
    }

    static Finding finding(List<ThreadNode> ts, ThreadNode.SocketCall call) {
        ThreadNode first = ts.get(0);
        boolean known = call.timed() != null;
        String what = call.frame().method().toLowerCase(java.util.Locale.ROOT).contains("connect") ? "connect" : "read";
        String site = Story.where(first.site());
        List<String> story = new ArrayList<>();
        int shown = Math.min(ts.size(), 6);
        for (int i = 0; i < shown; i++) {
            ThreadNode t = ts.get(i);
            story.add("\"" + t.name() + "\" " + t.state() + " in " + call.frame().location() + ", called at " + site);
        }
        if (ts.size() > shown) story.add("… and " + (ts.size() - shown) + " more threads at the same line");
        String summary = ts.size() + " thread(s) blocked in a socket " + what + (known ? " with no timeout" : "") + " at " + site;
        String why = "A socket " + what + " without a timeout waits as long as the other side stays silent. If that"
                + " server hangs, or the connection is lost without a reset, these threads wait forever, and keep"
                + " holding whatever locks and pooled connections they hold.";
        String fix = "Give the call a timeout: Socket.setSoTimeout / connect(address, timeout); for JDBC the driver's socket"
                + " or query timeout (socketTimeout, oracle.jdbc.ReadTimeout, Statement.setQueryTimeout); for HTTP and"
                + " mail clients their read and connect timeouts (e.g. mail.smtp.timeout, mail.smtp.connectiontimeout).";
        List<String> missing = known ? List.of()
                : List.of("before JDK 13 a thread dump does not show whether a socket read has a timeout (it is an argument"
                + " of socketRead0); check the client's configuration");
        return Evidences.finding(Kind.BLOCKING_IO, known ? Certainty.CERTAIN : Certainty.LIKELY, Story.names(ts), summary,
                story, why, fix, missing, List.of(), List.of());
    }
}
