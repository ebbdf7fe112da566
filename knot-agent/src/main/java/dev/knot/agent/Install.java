package dev.knot.agent;

import dev.knot.live.LiveSnapshot;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Opens java.base to the live snapshot code: what {@code --add-opens} would do, without the user's help. */
final class Install {
    private Install() {
    }

    static void openJavaBase(Instrumentation inst) {
        Module javaBase = Object.class.getModule();
        Module snapshot = LiveSnapshot.class.getModule();
        if (!inst.isModifiableModule(javaBase)) {
            throw new IllegalStateException("java.base cannot be modified by agents in this JVM");
        }
        Map<String, Set<Module>> exports = new HashMap<>();
        Map<String, Set<Module>> opens = new HashMap<>();
        Set<String> present = javaBase.getPackages();
        for (String pkg : LiveSnapshot.MODULE_PACKAGES_TO_OPEN) {
            if (!present.contains(pkg)) continue; // e.g. a package that only newer JDKs have
            if (!javaBase.isExported(pkg, snapshot)) exports.put(pkg, Set.of(snapshot));
            if (!javaBase.isOpen(pkg, snapshot)) opens.put(pkg, Set.of(snapshot));
        }
        if (exports.isEmpty() && opens.isEmpty()) return;
        inst.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
    }
}
