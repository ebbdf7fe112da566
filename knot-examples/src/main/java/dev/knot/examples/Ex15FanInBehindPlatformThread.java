package dev.knot.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service handles each request on its own virtual thread (JDK 21+). Every request needs an access token;
 * one platform thread, {@code token-refresher}, takes the token lock and then calls a token server that
 * never answers (a socket read without a timeout). All 300 requests park behind the lock.
 *
 * <p>Expected: <b>contention</b> rooted at {@code token-refresher}, with the 300 virtual {@code request-N}
 * threads behind it. Only a live snapshot ({@code knot attach}) can say so: jstack omits the parked virtual
 * threads, and the JSON dump lists them but not the lock's owner.
 */
@Expected(kind = "contention", threads = {"token-refresher"}, alsoBlocked = Ex15FanInBehindPlatformThread.REQUESTS,
        minJava = 21, virtualThreads = true, liveOnly = true)
public final class Ex15FanInBehindPlatformThread {
    public static final int REQUESTS = 300;

    private static final ReentrantLock TOKEN_LOCK = new ReentrantLock();

    public static void main(String[] args) throws IOException {
        ExampleSupport.Options options = ExampleSupport.start(Ex15FanInBehindPlatformThread.class, args);
        // A token server that accepts and never answers.
        ServerSocket tokenServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), tokenServer.getLocalPort());
        Socket accepted = tokenServer.accept();

        CountDownLatch locked = new CountDownLatch(1);
        Thread refresher = ExampleSupport.startDaemon("token-refresher", () -> {
            TOKEN_LOCK.lock();
            try {
                locked.countDown();
                readToken(client.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                TOKEN_LOCK.unlock();
            }
        });
        await(locked);

        List<Thread> requests = new ArrayList<>();
        for (int i = 1; i <= REQUESTS; i++) {
            requests.add(ExampleSupport.startVirtual("request-" + i, Ex15FanInBehindPlatformThread::handleRequest));
        }
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "every request parked behind the token lock",
                () -> TOKEN_LOCK.getQueueLength() == REQUESTS, requests.toArray(new Thread[0]));
        ExampleSupport.hangFormed(options, refresher);
        accepted.close(); // never reached while hung; keeps the socket reachable until then
    }

    static void handleRequest() {
        TOKEN_LOCK.lock();
        try {
            // would use the token
        } finally {
            TOKEN_LOCK.unlock();
        }
    }

    static int readToken(InputStream in) throws IOException {
        return in.read(); // no timeout: waits for the server forever
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
