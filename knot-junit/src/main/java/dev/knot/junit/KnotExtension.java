package dev.knot.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Knot for JUnit Jupiter (5.14+ and 6): explains tests that run out of time and fails tests that leave threads,
 * executors, unobserved exceptions or cancelled-but-running tasks behind.
 *
 * <p>Register it with {@link Knot @Knot}, {@code @ExtendWith(KnotExtension.class)}, or for a whole suite through
 * JUnit's extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}; the extension is
 * listed in {@code META-INF/services}). Configuration keys: {@link KnotConfig}.
 *
 * <p>How it works: while a test runs, its thread carries an inheritable marker ({@link Marks#MARK}) that every thread
 * it creates inherits; that is how Knot tells the test's threads from others', also in parallel runs. A method with a
 * timeout runs under {@link TimedInvocation}; after each test {@link LeakCheck} looks at what is left.
 *
 * <p>Knot's own problems never fail a test: they become one line on stderr. Only Knot's findings do.
 */
public final class KnotExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor {

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KnotExtension.class);

    public KnotExtension() {
    }

    /** One watched test or class: its marker, and the thread marker it replaced on JUnit's thread. */
    static final class Scope {
        final KnotExtension owner;
        final TestMark mark;
        final KnotConfig config;
        final Thread thread;
        final Lineage previous;
        /** a test class's @BeforeAll/@AfterAll scope (also owns the executors in its static fields) */
        final boolean classScope;
        volatile boolean hung;

        Scope(KnotExtension owner, TestMark mark, KnotConfig config, Thread thread, Lineage previous, boolean classScope) {
            this.owner = owner;
            this.mark = mark;
            this.config = config;
            this.thread = thread;
            this.previous = previous;
            this.classScope = classScope;
        }
    }

    // ---- scopes ----------------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        begin(context, display(context, null), true);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        end(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        begin(context, display(context, null), false);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        end(context);
    }

    private Scope begin(ExtensionContext context, String display, boolean classScope) {
        try {
            KnotConfig config = KnotConfig.of(context);
            if (!config.enabled) return null;
            ExtensionContext.Store store = context.getStore(NAMESPACE);
            // stores are inherited by child contexts: key by this context's id (also: Knot registered twice)
            if (store.get(key(context)) != null) return null;
            RunResources.ensure(context);
            Method method = classScope ? null : testMethod(context);
            TestMark mark = new TestMark(context.getUniqueId(), display, testClass(context),
                    method == null ? null : method.getName(), Threads.markersReadable() ? 0 : lastThreadId());
            Scope scope = new Scope(this, mark, config, Thread.currentThread(), Marks.MARK.get(), classScope);
            Marks.MARK.set(mark.root);
            Marks.started(mark);
            store.put(key(context), scope);
            return scope;
        } catch (Throwable t) {
            internal("could not start watching " + display, t);
            return null;
        }
    }

    /** Ends the scope of this context and fails the test if it left something behind. */
    private void end(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Scope scope = store.get(key(context), Scope.class);
        if (scope == null || scope.owner != this) return;
        store.remove(key(context));
        LeakError error = null;
        try {
            if (Thread.currentThread() == scope.thread) {
                if (scope.previous == null) Marks.MARK.remove();
                else Marks.MARK.set(scope.previous);
            }
            List<LeakCheck.Problem> problems = new ArrayList<>(LeakCheck.run(scope.mark, scope.config, scope.hung,
                    () -> Fixtures.identitySet(Fixtures.classExecutors(context, true))));
            if (scope.classScope && scope.config.executors && !scope.hung) {
                problems.addAll(Fixtures.unclosed(Fixtures.classExecutors(context, false)));
            }
            if (!problems.isEmpty()) {
                error = new LeakError(LeakCheck.message(scope.mark.display, problems, scope.mark, Rerun.line(context)));
                error.setStackTrace(new StackTraceElement[0]); // Knot's own frames would only distract
                for (LeakCheck.Problem p : problems) {
                    if (p.cause() != null) error.addSuppressed(p.cause());
                }
            }
        } catch (Throwable t) {
            internal("could not check " + scope.mark.display + " for leaks", t);
        } finally {
            Marks.ended(scope.mark);
            Marks.forget(scope.mark);
        }
        if (error != null) throw error;
    }

    /** A dynamic test's context has neither class nor method: its factory's context has. */
    private static Class<?> testClass(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent()) return c.getTestClass().get();
        }
        return null;
    }

    private static Method testMethod(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isPresent()) return c.getTestMethod().get();
            if (c.getElement().filter(e -> e instanceof Class<?>).isPresent()) return null;
        }
        return null;
    }

    private static String key(ExtensionContext context) {
        return "scope " + context.getUniqueId();
    }

    /**
     * The highest id of a live platform thread: every thread created later has a higher id (ids only grow). Used only
     * without reflection, to tell new threads from old ones.
     */
    private static long lastThreadId() {
        long max = 0;
        for (Thread t : Threads.platform()) max = Math.max(max, t.getId());
        return max;
    }

    // ---- invocations -------------------------------------------------------------------------------------

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                         ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.BEFORE_ALL);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                          ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.BEFORE_EACH);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                    ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.TEST);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                            ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.TEST_TEMPLATE);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> ic,
                                            ExtensionContext context) throws Throwable {
        return intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.TEST_FACTORY);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                         ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.AFTER_EACH);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                        ExtensionContext context) throws Throwable {
        intercept(invocation, ic.getExecutable(), context, Timeouts.Kind.AFTER_ALL);
    }

    /** Dynamic tests get no before/after-each callbacks: the scope is the invocation itself. */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext ic,
                                     ExtensionContext context) throws Throwable {
        if (TimedInvocation.INSIDE.get() != null) {
            invocation.proceed();
            return;
        }
        Scope scope = begin(context, display(context.getParent().orElse(context), context.getDisplayName()), false);
        Throwable failure = null;
        try {
            intercept(invocation, null, context, Timeouts.Kind.DYNAMIC);
        } catch (Throwable t) {
            failure = t;
        }
        if (scope != null) {
            try {
                end(context);
            } catch (LeakError e) {
                if (failure == null) throw e;
                failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private <T> T intercept(Invocation<T> invocation, Method method, ExtensionContext context, Timeouts.Kind kind) throws Throwable {
        if (TimedInvocation.INSIDE.get() != null) return invocation.proceed();
        Timeouts.Resolved timeout;
        KnotConfig config;
        try {
            config = KnotConfig.of(context);
            timeout = config.enabled ? Timeouts.resolve(kind, method, context, config) : null;
        } catch (Throwable t) {
            internal("could not resolve the timeout of " + context.getDisplayName(), t);
            timeout = null;
            config = null;
        }
        if (timeout == null) return invocation.proceed();
        String what = describe(method, context, kind);
        return TimedInvocation.proceed(invocation, timeout, what, context, scopeOf(context), config.sameThread);
    }

    private static Scope scopeOf(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Scope s = c.getStore(NAMESPACE).get(key(c), Scope.class);
            if (s != null) return s;
        }
        return null;
    }

    // ---- names -------------------------------------------------------------------------------------------

    /** "FooTest.bar()", "FooTest.bar() [2] x=5", "FooTest.Nested.baz()", "FooTest" (class scope). */
    static String display(ExtensionContext context, String dynamicName) {
        Class<?> c = context.getTestClass().orElse(null);
        String cls = c == null ? context.getDisplayName() : simpleName(c);
        Method m = context.getTestMethod().orElse(null);
        if (m == null) return cls;
        String s = cls + "." + m.getName() + "()";
        if (context.getUniqueId().contains("[test-template-invocation:")) s += " " + context.getDisplayName();
        if (dynamicName != null) s += " » " + dynamicName;
        return s;
    }

    private static String simpleName(Class<?> c) {
        String n = c.getName();
        int dot = n.lastIndexOf('.');
        return (dot < 0 ? n : n.substring(dot + 1)).replace('$', '.');
    }

    private static String describe(Method method, ExtensionContext context, Timeouts.Kind kind) {
        if (method == null) return display(context.getParent().orElse(context), context.getDisplayName());
        String s = display(context, null);
        if (!kind.testable() && kind != Timeouts.Kind.DYNAMIC) {
            Class<?> c = method.getDeclaringClass();
            s = simpleName(c) + "." + method.getName() + "() (" + switch (kind) {
                case BEFORE_ALL -> "@BeforeAll";
                case BEFORE_EACH -> "@BeforeEach";
                case AFTER_EACH -> "@AfterEach";
                default -> "@AfterAll";
            } + (context.getTestMethod().isPresent() ? " of " + display(context, null) : "") + ")";
        }
        return s;
    }

    static void internal(String what, Throwable t) {
        System.err.println("knot: " + what + ": " + Stacks.oneLine(t) + " (a bug in Knot; the test is not affected)");
    }

    /** Per engine run: the uncaught-exception handler, installed on first use and removed when the run ends. */
    private static final class RunResources implements AutoCloseable {
        private static final Object LOCK = new Object();
        private boolean closed;

        static void ensure(ExtensionContext context) {
            ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
            if (root.get(RunResources.class) != null) return;
            synchronized (LOCK) {
                if (root.get(RunResources.class) != null) return;
                UncaughtHandler.acquire();
                TaskFailures.available(); // tags task failures with the test marker from now on (agent only)
                root.put(RunResources.class, new RunResources());
            }
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            UncaughtHandler.release();
        }
    }
}
