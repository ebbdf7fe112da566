package dev.knot.examples;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A checkout waits for a price quote: it registers a {@link CompletableFuture} under the SKU and joins it;
 * the pricing client completes the future registered for the SKU named in the response. The pricing
 * service answers with the SKU in lower case, the lookup finds nothing, and the response is dropped.
 * Nothing will ever complete the future. No lock and no cycle: the thread just waits for an event that
 * does not come.
 *
 * <p>Expected: <b>stall</b> of {@code checkout-request}: WAITING (parking) on a
 * {@code CompletableFuture$Signaller} in {@code CompletableFuture.join}. With {@code --dumps 3} every dump
 * shows the same stack; nothing else in the process works toward completing it. jstack reports nothing.
 */
@Expected(kind = "stall", threads = {"checkout-request"}, minJava = 17)
public final class Ex13StalledFuture {

    static final class PricingClient {
        private final Map<String, CompletableFuture<Long>> awaitingQuote = new ConcurrentHashMap<>();
        volatile Thread responseThread;

        CompletableFuture<Long> requestQuote(String sku) {
            CompletableFuture<Long> quote = new CompletableFuture<>();
            awaitingQuote.put(sku, quote);
            responseThread = ExampleSupport.startDaemon("pricing-response",
                    () -> onResponse(sku.toLowerCase(), 19_99));
            return quote;
        }

        void onResponse(String sku, long priceInCents) {
            CompletableFuture<Long> quote = awaitingQuote.remove(sku); // "SKU-42" was registered, "sku-42" answers
            if (quote != null) {
                quote.complete(priceInCents);
            }
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex13StalledFuture.class, args);
        PricingClient pricing = new PricingClient();
        CompletableFuture<Long> quote = pricing.requestQuote("SKU-42");

        Thread checkout = ExampleSupport.startDaemon("checkout-request",
                () -> System.out.println("total " + quote.join()));

        // A dependent on the future while parked = the checkout thread is inside join(). Once the response
        // thread has ended (having dropped the answer), nothing is left that could complete the quote.
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "checkout-request parked in join(), response dropped",
                () -> quote.getNumberOfDependents() > 0 && checkout.getState() == Thread.State.WAITING
                        && !pricing.responseThread.isAlive(), checkout);
        ExampleSupport.hangFormed(options, checkout);
    }
}
