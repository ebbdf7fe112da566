package dev.knot.agent;

import dev.knot.live.LiveSnapshot;
import dev.knot.live.ThreadPrint;
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
        if (!exports.isEmpty() || !opens.isEmpty()) inst.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
        openThreadPrint(inst, snapshot);
    }

    /** The in-process Thread.print ({@link ThreadPrint}); without it snapshots take the slower ThreadMXBean way. */
    private static void openThreadPrint(Instrumentation inst, Module snapshot) {
        try {
            Module m = ModuleLayer.boot().findModule(ThreadPrint.MODULE).orElse(null);
            if (m == null || !m.getPackages().contains(ThreadPrint.PACKAGE) || m.isOpen(ThreadPrint.PACKAGE, snapshot)) return;
            if (!inst.isModifiableModule(m)) return;
            inst.redefineModule(m, Set.of(), Map.of(), Map.of(ThreadPrint.PACKAGE, Set.of(snapshot)), Set.of(), Map.of());
        } catch (RuntimeException e) {
            // snapshots still work, through ThreadMXBean
        }
    }
}
