package dev.knot.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Executors a test class keeps in its fields ({@code static ExecutorService shared} set up in {@code @BeforeAll}):
 * they belong to the class, not to the test that happened to make them start a worker. Tests skip them; the class
 * scope checks them when the class is done.
 */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * Executors in static fields of the test class and its superclasses (field → executor); with {@code enclosing},
     * also of the classes a {@code @Nested} class sits in.
     */
    static Map<ExecutorService, String> classExecutors(ExtensionContext context, boolean enclosing) {
        Map<ExecutorService, String> out = new IdentityHashMap<>();
        Class<?> c = context.getTestClass().orElse(null);
        for (Class<?> k = c; k != null; k = enclosing ? k.getEnclosingClass() : null) {
            for (Class<?> s = k; s != null && s != Object.class; s = s.getSuperclass()) {
                for (Field f : fields(s)) {
                    if (Modifier.isStatic(f.getModifiers())) read(f, null, out);
                }
            }
        }
        // a PER_CLASS instance lives as long as the class: its fields are the class's too
        if (context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS) {
            context.getTestInstance().ifPresent(i -> {
                for (Class<?> s = i.getClass(); s != null && s != Object.class; s = s.getSuperclass()) {
                    for (Field f : fields(s)) {
                        if (!Modifier.isStatic(f.getModifiers())) read(f, i, out);
                    }
                }
            });
        }
        return out;
    }

    private static List<Field> fields(Class<?> c) {
        try {
            List<Field> out = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) {
                if (ExecutorService.class.isAssignableFrom(f.getType()) || f.getType() == Object.class) out.add(f);
            }
            return out;
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static void read(Field f, Object target, Map<ExecutorService, String> out) {
        try {
            f.setAccessible(true);
            if (f.get(target) instanceof ExecutorService es) {
                out.putIfAbsent(es, f.getDeclaringClass().getSimpleName() + "." + f.getName());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a field Knot may not read: not a fixture it knows about
        }
    }

    static Set<Object> identitySet(Map<ExecutorService, String> m) {
        Set<Object> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(m.keySet());
        return s;
    }

    /** At the end of a class: its field executors that still run threads. */
    static List<LeakCheck.Problem> unclosed(Map<ExecutorService, String> executors) {
        List<LeakCheck.Problem> out = new ArrayList<>();
        for (Map.Entry<ExecutorService, String> e : executors.entrySet()) {
            ExecutorService es = e.getKey();
            if (es.isShutdown()) continue;
            // only pools that run threads now; getPoolSize() takes the pool's lock briefly, on JUnit's thread
            if (es instanceof ThreadPoolExecutor tpe) {
                if (tpe.getPoolSize() == 0) continue;
            } else if (es instanceof ForkJoinPool fj) {
                if (fj == ForkJoinPool.commonPool() || fj.getPoolSize() == 0) continue;
            } else {
                continue; // another kind of executor: Knot cannot tell whether it runs threads
            }
            out.add(new LeakCheck.Problem(LeakCheck.Kind.EXECUTOR, es.getClass().getSimpleName() + " in field "
                    + e.getValue() + " was never shut down", List.of("the class's tests are done, its workers still run"),
                    LeakCheck.FIX_EXECUTOR, null, false));
        }
        return out;
    }
}
