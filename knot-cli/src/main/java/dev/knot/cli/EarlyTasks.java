package dev.knot.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Work started before picocli has parsed the command line (see AnalyzeCommand.Early, AttachCommand.EarlyAttach). */
final class EarlyTasks {
    private EarlyTasks() {
    }

    /** Runs {@code task} on a daemon thread named {@code name}. */
    static <T> FutureTask<T> start(String name, FutureTask<T> task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    /**
     * The task's result, its failure rethrown as the command would have thrown it: unchecked ones as they are,
     * a checked one of type {@code checked} too.
     */
    static <T, X extends Exception> T result(FutureTask<T> task, Class<X> checked) throws X, InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (checked.isInstance(c)) throw checked.cast(c);
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }
}
