package dev.knot.examples;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Document events are handled one at a time on a single-thread executor, so handlers need no locking. The
 * save handler wants the document flushed first, and flushing is also an event: it submits the flush to
 * the same executor and waits for it with {@code Future.get()}. The flush is queued behind the running save
 * handler, on the only thread, which is busy waiting for it.
 *
 * <p>Expected: <b>self-deadlock</b> of {@code document-events}, WAITING (parking) on a
 * {@code java.util.concurrent.FutureTask} (from {@code FutureTask.get}), inside a task run by
 * {@code ThreadPoolExecutor$Worker}. The task it waits for sits in the executor's queue; jstack reports
 * nothing.
 */
@Expected(kind = "self-deadlock", threads = {"document-events"}, minJava = 17)
public final class Ex09SingleThreadExecutorWaitsOnItself {

    static final class DocumentEvents {
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "document-events");
            t.setDaemon(true);
            thread.set(t);
            return t;
        });

        void onSave(String document) {
            executor.execute(() -> {
                Future<?> flushed = executor.submit(() -> flush(document));
                try {
                    flushed.get(); // the flush can only run on this very thread, after this handler returns
                    System.out.println("saved " + document);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            });
        }

        private static void flush(String document) {
            System.out.println("flushed " + document);
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex09SingleThreadExecutorWaitsOnItself.class, args);
        DocumentEvents events = new DocumentEvents();
        events.onSave("invoice-2024-117.odt");

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "the event thread to start",
                () -> events.thread.get() != null);
        Thread eventThread = events.thread.get();
        // Parked with a Future as blocker = inside Future.get(); an idle worker would park on its queue.
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "document-events waiting in Future.get()",
                () -> ExampleSupport.isWaitingOnFuture(eventThread), eventThread);
        ExampleSupport.hangFormed(options, eventThread);
    }
}
