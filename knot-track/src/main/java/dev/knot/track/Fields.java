package dev.knot.track;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/**
 * Field reads into java.base internals (opened by the agent). Returns null instead of throwing; reads fields
 * only, never calls a method that could take a lock.
 */
final class Fields {
    private final Map<String, Field> cache = new HashMap<>();
    private final Map<String, Boolean> missing = new HashMap<>();
    String problem; // the first failure, for a STATE fact

    Object get(Object target, String name) {
        if (target == null) return null;
        Field f = find(target.getClass(), name);
        if (f == null) return null;
        try {
            return f.get(target);
        } catch (IllegalAccessException | RuntimeException e) {
            if (problem == null) problem = "cannot read " + f.getDeclaringClass().getName() + "." + name + " (" + e.getClass().getSimpleName() + ")";
            return null;
        }
    }

    <T> T get(Object target, String name, Class<T> type) {
        Object v = get(target, name);
        return type.isInstance(v) ? type.cast(v) : null;
    }

    int getInt(Object target, String name, int otherwise) {
        Object v = get(target, name);
        if (v instanceof Number) return ((Number) v).intValue();
        if (v instanceof java.util.concurrent.atomic.AtomicInteger) return ((java.util.concurrent.atomic.AtomicInteger) v).get();
        return otherwise;
    }

    private Field find(Class<?> start, String name) {
        String key = start.getName() + "@" + System.identityHashCode(start) + "#" + name; // one name, several loaders
        Field cached = cache.get(key);
        if (cached != null || missing.containsKey(key)) return cached;
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                cache.put(key, f);
                return f;
            } catch (NoSuchFieldException e) {
                // superclass next
            } catch (RuntimeException e) { // InaccessibleObjectException: java.base not opened
                if (problem == null) problem = "cannot read " + c.getName() + "." + name + " (" + e.getClass().getSimpleName()
                        + "; the Knot agent opens java.base)";
                break;
            }
        }
        missing.put(key, Boolean.TRUE);
        return null;
    }
}
