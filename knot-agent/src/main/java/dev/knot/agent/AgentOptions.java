package dev.knot.agent;

import dev.knot.input.AgentProtocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Agent options as {@code key=value,key=value} (the string after {@code -javaagent:knot-agent.jar=}, the second
 * argument of {@code loadAgent} or of {@code jcmd PID JVMTI.agent_load JAR OPTIONS}; keys in {@link AgentProtocol}).
 * Parsed generically so that new keys need no parser change. A segment without {@code =} continues the previous value, so a file name with
 * a comma in it survives ({@code snapshot=/tmp/a,b.json}). A key given twice keeps its last value.
 */
final class AgentOptions {
    private AgentOptions() {
    }

    /** @param warn gets a one-line message for each segment that cannot be read */
    static Map<String, String> parse(String options, Consumer<String> warn) {
        Map<String, String> map = new LinkedHashMap<>();
        if (options == null || options.isBlank()) return map;
        String lastKey = null;
        for (String segment : options.split(",", -1)) {
            int eq = segment.indexOf('=');
            if (eq < 0) {
                if (lastKey != null) {
                    map.put(lastKey, map.get(lastKey) + "," + segment);
                } else if (!segment.isBlank()) {
                    warn.accept("ignoring option '" + segment.strip() + "' (expected key=value"
                            + (options.indexOf('=') < 0 ? "; jcmd drops everything from the first = unless the options"
                            + " are quoted: jcmd PID JVMTI.agent_load knot-agent.jar '\""
                            + AgentProtocol.options(AgentProtocol.SNAPSHOT_OPTION, "FILE") + "\"')" : ")"));
                }
                continue;
            }
            String key = segment.substring(0, eq).strip();
            if (key.isEmpty()) {
                warn.accept("ignoring option '" + segment.strip() + "' (no key before =)");
                lastKey = null;
                continue;
            }
            map.remove(key); // keep insertion order of the last occurrence
            map.put(key, segment.substring(eq + 1));
            lastKey = key;
        }
        return map;
    }
}
