package io.recap.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batches form from what is queued, up to the maximum, wait for company only when company is likely, and a full
 * queue refuses. Inputs are strings: "key:weight", and "gate" holds the batching thread until released, so the
 * tests can queue requests behind it deterministically.
 */
class DynamicBatcherTest {

    private static final long NO_DEADLINE = Long.MAX_VALUE / 2;
    private static final Duration LONG = Duration.ofSeconds(30);

    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch gateEntered = new CountDownLatch(1);
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();
    private DynamicBatcher<String, String> batcher;

    private final BatchHandler<String, String> handler = new BatchHandler<>() {
        @Override
        public void handle(List<BatchJob<String, String>> group) throws Exception {
            List<String> inputs = group.stream().map(BatchJob::input).toList();
            groups.add(inputs);
            if (inputs.contains("gate")) {
                gateEntered.countDown();
                gate.await();
            }
            if (inputs.contains("boom:1")) {
                throw new IllegalStateException("boom");
            }
            group.forEach(job -> job.result().complete("done " + job.input()));
        }

        @Override
        public Object compatibilityKey(String input) {
            return input.split(":")[0];
        }

        @Override
        public int weight(String input) {
            String[] parts = input.split(":");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        }
    };

    @AfterEach
    void stop() {
        gate.countDown();
        if (batcher != null) {
            batcher.stop();
        }
    }

    @Test
    void requestsQueuedTogetherRunAsOneBatchWithOneGroupPerCompatibilityKey() throws Exception {
        start(new BatchSettings(32, Duration.ZERO, Duration.ZERO, 64));
        holdTheBatchingThread();
        List<CompletableFuture<String>> results = submitAll("a:1", "b:1", "a:1", "b:1", "a:1");
        gate.countDown();
        awaitAll(results);

        assertThat(groups).containsExactly(List.of("gate"), List.of("a:1", "a:1", "a:1"), List.of("b:1", "b:1"));
        assertThat(results.get(1).get()).isEqualTo("done b:1");
    }

    @Test
    void aBatchHoldsAtMostTheMaximumUnitsAndTheRequestThatDoesNotFitOpensTheNext() throws Exception {
        start(new BatchSettings(4, Duration.ZERO, Duration.ZERO, 64));
        holdTheBatchingThread();
        List<CompletableFuture<String>> results = submitAll("a:2", "a:1", "a:2", "a:3", "a:1", "a:6");
        gate.countDown();
        awaitAll(results);

        // A request heavier than the maximum still runs, alone.
        assertThat(groups).containsExactly(List.of("gate"), List.of("a:2", "a:1"), List.of("a:2"),
                List.of("a:3", "a:1"), List.of("a:6"));
    }

    @Test
    void aBatchWithCompanyWaitsForMoreUpToTheBatchDelayButNoLonger() throws Exception {
        start(new BatchSettings(32, Duration.ofSeconds(2), Duration.ZERO, 64));
        holdTheBatchingThread();
        List<CompletableFuture<String>> results = new ArrayList<>(submitAll("a:1", "a:1"));
        gate.countDown();
        Thread.sleep(200); // well within the delay: joins the two queued behind the gate
        results.addAll(submitAll("a:1"));
        awaitAll(results);
        // Long after that batch's delay ran out: a batch of its own.
        awaitAll(submitAll("a:1"));

        assertThat(groups).containsExactly(List.of("gate"), List.of("a:1", "a:1", "a:1"), List.of("a:1"));
    }

    @Test
    void aRequestAloneInAnIdleBatcherIsNotHeldForTheBatchDelay() throws Exception {
        start(new BatchSettings(32, Duration.ofMinutes(10), Duration.ofMinutes(10), 64));

        // Held for the delay it would wait ten minutes; alone, it runs at once, and so does the next.
        assertThat(submitAll("a:1").get(0).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:1");
        assertThat(submitAll("a:1").get(0).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:1");
        assertThat(groups).containsExactly(List.of("a:1"), List.of("a:1"));
    }

    @Test
    void oneHeavyRequestIsOneClientSoTheNextRequestAloneIsNotHeldForCompany() throws Exception {
        start(new BatchSettings(32, Duration.ofMinutes(10), Duration.ofMinutes(10), 64));

        assertThat(submitAll("a:8").get(0).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:8");
        assertThat(submitAll("a:1").get(0).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:1");
        assertThat(batcher.demand().expectedBatchSize()).isEqualTo(1);
    }

    @Test
    void requestsThatComeBackLateStillJoinTheBatchRecentDemandPredicts() throws Exception {
        start(new BatchSettings(32, Duration.ofMillis(5), Duration.ofSeconds(3), 64));
        eightComeTogether();
        // Pretend that pass took 4 s (a slow CPU): a short batch may then wait up to 1 s for the rest.
        batcher.demand().rememberPass(Duration.ofSeconds(4).toNanos());
        List<CompletableFuture<String>> late = new ArrayList<>(submitAll("a:1", "a:1", "a:1", "a:1"));
        Thread.sleep(100); // far beyond the 5 ms batch delay
        late.addAll(submitAll("a:1", "a:1", "a:1", "a:1"));
        awaitAll(late);

        assertThat(groups.subList(1, groups.size())).extracting(List::size).containsExactly(8, 8);
        assertThat(batcher.demand().expectedBatchSize()).isEqualTo(8);
    }

    @Test
    void whenDemandFallsOneFillWaitThatComesUpShortResetsTheEstimate() throws Exception {
        start(new BatchSettings(32, Duration.ofMillis(20), Duration.ofSeconds(1), 64));
        eightComeTogether();

        // One client is left: its request waits for the seven once, in vain; from then on nobody is expected.
        awaitAll(submitAll("a:1"));
        Thread.sleep(50);
        assertThat(batcher.demand().expectedBatchSize()).isEqualTo(1);
        assertThat(groups.subList(1, groups.size())).extracting(List::size).containsExactly(8, 1);
    }

    @Test
    void aFullQueueRefusesAtOnceAndQueuesNothing() throws Exception {
        start(new BatchSettings(32, Duration.ZERO, Duration.ZERO, 2));
        holdTheBatchingThread();
        List<CompletableFuture<String>> queued = submitAll("a:1", "a:1");

        assertThatThrownBy(() -> batcher.submit("a:1", NO_DEADLINE)).isInstanceOf(QueueFullException.class);
        assertThat(batcher.queueDepth()).isEqualTo(2);
        assertThat(batcher.inFlight()).isEqualTo(3); // the gate and the two queued
        gate.countDown();
        awaitAll(queued);
        assertThat(groups).containsExactly(List.of("gate"), List.of("a:1", "a:1"));
        assertThat(batcher.inFlight()).isZero();
    }

    @Test
    void aRequestItsCallerGaveUpOnWhileQueuedIsNeverRunAndNoLongerCounted() throws Exception {
        start(new BatchSettings(32, Duration.ZERO, Duration.ZERO, 8));
        holdTheBatchingThread();
        CompletableFuture<String> abandoned = batcher.submit("b:1", NO_DEADLINE);
        CompletableFuture<String> kept = batcher.submit("a:1", NO_DEADLINE);

        abandoned.cancel(false);
        gate.countDown();

        assertThat(kept.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:1");
        assertThat(groups).containsExactly(List.of("gate"), List.of("a:1"));
        assertThat(batcher.inFlight()).isZero();
    }

    @Test
    void aFailingGroupFailsOnlyItsOwnRequestsAndExpiredOrStoppedOnesAreRefused() throws Exception {
        start(new BatchSettings(32, Duration.ZERO, Duration.ZERO, 64));
        holdTheBatchingThread();
        CompletableFuture<String> failing = batcher.submit("boom:1", NO_DEADLINE);
        CompletableFuture<String> fine = batcher.submit("a:1", NO_DEADLINE);
        CompletableFuture<String> expired = batcher.submit("a:1", System.nanoTime());
        gate.countDown();

        assertThat(fine.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done a:1");
        assertThatThrownBy(() -> failing.get(LONG.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
        assertThatThrownBy(() -> expired.get(LONG.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        batcher.stop();
        assertThatThrownBy(() -> batcher.submit("a:1", NO_DEADLINE)).isInstanceOf(QueueFullException.class);
    }

    @Test
    void demandIsTheLargestRecentBatchAndFadesAfterTheWindowAndTheWaitFollowsThePassTime() {
        BatchDemand demand = new BatchDemand(32, Duration.ofMillis(5).toNanos(), Duration.ofMillis(50).toNanos());
        assertThat(demand.expectedBatchSize()).isEqualTo(1);
        demand.rememberBatchSize(64);
        assertThat(demand.expectedBatchSize()).isEqualTo(32); // never beyond the largest batch
        for (int i = 0; i < BatchDemand.WINDOW - 1; i++) {
            demand.rememberBatchSize(3);
            assertThat(demand.expectedBatchSize()).isEqualTo(32);
        }
        demand.rememberBatchSize(1);
        assertThat(demand.expectedBatchSize()).isEqualTo(3);

        // The wait for company: a quarter of the last pass, within [maxBatchDelay, maxFillWait].
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
        demand.rememberPass(Duration.ofMillis(100).toNanos());
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(25).toNanos());
        demand.rememberPass(Duration.ofSeconds(4).toNanos());
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
    }

    private void start(BatchSettings settings) {
        batcher = new DynamicBatcher<>("test-batcher", settings, handler);
        batcher.start();
    }

    /** Puts the batching thread inside a handler call until {@link #gate} opens. */
    private void holdTheBatchingThread() throws InterruptedException {
        batcher.submit("gate", NO_DEADLINE);
        assertThat(gateEntered.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    /** Eight requests form one batch: the demand to expect from then on, once the batcher has recorded it. */
    private void eightComeTogether() throws Exception {
        holdTheBatchingThread();
        awaitAll(releaseAfterQueueing("a:1", "a:1", "a:1", "a:1", "a:1", "a:1", "a:1", "a:1"));
        Thread.sleep(50);
        assertThat(batcher.demand().expectedBatchSize()).isEqualTo(8);
    }

    /** Queues the inputs behind the held gate, then opens it: they are all queued when the next batch forms. */
    private List<CompletableFuture<String>> releaseAfterQueueing(String... inputs) {
        List<CompletableFuture<String>> results = submitAll(inputs);
        gate.countDown();
        return results;
    }

    private List<CompletableFuture<String>> submitAll(String... inputs) {
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (String input : inputs) {
            results.add(batcher.submit(input, NO_DEADLINE));
        }
        return results;
    }

    private static void awaitAll(List<CompletableFuture<String>> results) throws Exception {
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
    }
}
