package dev.knot.examples;

import java.util.concurrent.CountDownLatch;

/**
 * PDF rendering with expensive renderer objects kept in an Apache commons-pool2 {@code GenericObjectPool} of two
 * ({@code maxTotal = 2}, borrowing blocks without a timeout, the library's defaults otherwise). A page is rendered
 * with one renderer, and while still holding it the page footer is rendered "separately" with a second one
 * borrowed from the same pool. Two pages are rendered at once: each thread holds one renderer and waits for a
 * second, the pool is drained, and nobody is left to return one.
 *
 * <p>Expected: <b>starvation</b> of the pool by {@code pdf-render-1} and {@code pdf-render-2}, both WAITING
 * (parking) on the pool's idle deque ({@code LinkedBlockingDeque.takeFirst} inside
 * {@code GenericObjectPool.borrowObject}). A dump shows neither who holds the pool's objects nor that it is
 * drained ({@code numActive == maxTotal}); only the pool's own fields say so: likely, from a dump and from a plain
 * {@code knot attach}. With pool tracking from start-up ({@code -javaagent:knot-agent.jar=track=pools}) the holders
 * are known, and it is a certain <b>deadlock</b>: each holds one renderer and waits for the other's.
 *
 * <p>Needs commons-pool2 on the class path (an optional dependency of knot-examples: {@code knot demo} from
 * knot.jar says so and exits with code 6).
 */
@Expected(kind = "starvation", threads = {"pdf-render-1", "pdf-render-2"}, minJava = 17, liveCertainty = "likely",
        libraries = @Expected.Library(coordinates = "org.apache.commons:commons-pool2",
                probeClass = "org.apache.commons.pool2.impl.GenericObjectPool"))
public final class Ex16CommonsPoolNestedBorrow {

    /** The commons-pool2 part, apart so that the example class loads (and says what is missing) without it. */
    static final class Renderers {
        static final int PAGES = 2;
        private static final org.apache.commons.pool2.impl.GenericObjectPool<StringBuilder> POOL = newPool();
        /** Both pages hold their first renderer before either asks for a second: the bad overlap, certain. */
        private static final CountDownLatch BOTH_PAGES_STARTED = new CountDownLatch(PAGES);

        private static org.apache.commons.pool2.impl.GenericObjectPool<StringBuilder> newPool() {
            org.apache.commons.pool2.impl.GenericObjectPoolConfig<StringBuilder> config =
                    new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
            config.setMaxTotal(PAGES);
            config.setBlockWhenExhausted(true); // the default, with no maximum wait: borrowObject() waits forever
            config.setJmxEnabled(false);
            return new org.apache.commons.pool2.impl.GenericObjectPool<>(
                    new org.apache.commons.pool2.BasePooledObjectFactory<StringBuilder>() {
                        @Override
                        public StringBuilder create() {
                            return new StringBuilder("renderer");
                        }

                        @Override
                        public org.apache.commons.pool2.PooledObject<StringBuilder> wrap(StringBuilder renderer) {
                            return new org.apache.commons.pool2.impl.DefaultPooledObject<>(renderer);
                        }
                    }, config);
        }

        static void renderPage(int page) throws Exception {
            StringBuilder renderer = POOL.borrowObject();
            try {
                BOTH_PAGES_STARTED.countDown();
                BOTH_PAGES_STARTED.await();
                renderer.append(" page ").append(page);
                renderFooter(page);
            } finally {
                POOL.returnObject(renderer);
            }
        }

        static void renderFooter(int page) throws Exception {
            StringBuilder footer = POOL.borrowObject(); // the second object, while the caller still holds the first
            try {
                footer.append(" footer ").append(page);
            } finally {
                POOL.returnObject(footer);
            }
        }

        static boolean drainedWithWaiters(int waiters) {
            return POOL.getNumActive() == PAGES && POOL.getNumWaiters() == waiters;
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex16CommonsPoolNestedBorrow.class, args);
        Thread page1 = ExampleSupport.startDaemon("pdf-render-1", () -> render(1));
        Thread page2 = ExampleSupport.startDaemon("pdf-render-2", () -> render(2));

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both renderers waiting on the drained pool",
                () -> Renderers.drainedWithWaiters(2)
                        && page1.getState() == Thread.State.WAITING && page2.getState() == Thread.State.WAITING,
                page1, page2);
        ExampleSupport.hangFormed(options, page1);
    }

    private static void render(int page) {
        try {
            Renderers.renderPage(page);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
