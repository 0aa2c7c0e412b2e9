package io.recap.core.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching in the manner of DJL Serving: requests wait in a bounded queue; one thread takes the first, keeps
 * collecting until the batch is full or the first has waited long enough, and hands each group of compatible
 * requests to the {@link BatchHandler}. The next batch forms while nothing runs, so clients that come back after
 * their answer stay one batch (separately running batches would split them into ever smaller cohorts).
 *
 * <p>How long the first request waits ({@link BatchDemand}): while the batch holds fewer requests than recent
 * batches did, up to the fill wait (requests, not units: one client asking for many images is not many clients
 * coming back); otherwise up to the batch delay, unless it came alone: nothing else queued or in flight
 * (submitted and not yet answered) when it was taken. Such a request goes at once, since holding it for company
 * that shows no sign of coming would only add the delay to its latency.
 *
 * <p>Plain Java, no framework: the services wrap it in their own lifecycle.
 *
 * @param <T> a request's input
 * @param <R> its answer
 */
public final class DynamicBatcher<T, R> {

    private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);
    private static final long IDLE_POLL_MILLIS = 100;

    private final String name;
    private final BatchSettings settings;
    private final BatchHandler<T, R> handler;
    private final BlockingQueue<BatchJob<T, R>> queue;
    private final BatchDemand demand;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** A request that did not fit the last batch: it opens the next one. Batching thread only. */
    private BatchJob<T, R> carried;
    private volatile Thread thread;
    private volatile boolean running;

    public DynamicBatcher(String name, BatchSettings settings, BatchHandler<T, R> handler) {
        this.name = name;
        this.settings = settings;
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.demand = new BatchDemand(settings.maxBatchSize(), settings.maxBatchDelay().toNanos(),
                settings.maxFillWait().toNanos());
    }

    /**
     * Queues one request.
     *
     * @param deadlineNanos {@link System#nanoTime()} past which the request is refused instead of run
     * @throws QueueFullException when the queue is at capacity or the batcher is not running (nothing is queued)
     */
    public CompletableFuture<R> submit(T input, long deadlineNanos) {
        BatchJob<T, R> job = new BatchJob<>(input, new CompletableFuture<>(), deadlineNanos);
        // Counted before it is queued, so the batching thread never sees a queued request it does not count.
        inFlight.incrementAndGet();
        if (!running || !queue.offer(job)) {
            inFlight.decrementAndGet();
            throw new QueueFullException(settings.queueCapacity());
        }
        // The caller's future completes only after the count has dropped: a caller that has its answer and submits
        // again must find itself alone, not counted twice. Cancelling it cancels the job, which the batcher then drops.
        CompletableFuture<R> answer = new CompletableFuture<>();
        job.result().whenComplete((result, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(result);
            }
        });
        answer.whenComplete((result, failure) -> {
            if (answer.isCancelled()) {
                job.result().cancel(false);
            }
        });
        return answer;
    }

    /** Requests queued and not yet taken into a batch. */
    public int queueDepth() {
        return queue.size();
    }

    /** Requests submitted and not yet answered, queued or running. */
    public int inFlight() {
        return inFlight.get();
    }

    BatchDemand demand() {
        return demand;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread batching = new Thread(this::run, name);
        batching.setDaemon(true);
        thread = batching;
        batching.start();
    }

    /** Stops after the batch in hand; requests still queued are refused with {@link BatchHandler#stopped()}. */
    public synchronized void stop() {
        running = false;
        Thread batching = thread;
        if (batching != null) {
            try {
                batching.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        refuseQueued();
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                BatchJob<T, R> first = carried != null ? carried : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<BatchJob<T, R>> batch = collect(first);
                long start = System.nanoTime();
                runGroups(batch);
                demand.rememberPass(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        refuseQueued();
    }

    /** The batch that {@code first} opens: full, or as much as came within the wait. */
    private List<BatchJob<T, R>> collect(BatchJob<T, R> first) throws InterruptedException {
        List<BatchJob<T, R>> batch = new ArrayList<>();
        batch.add(first);
        int units = weight(first);
        long start = System.nanoTime();
        long batchDeadline = start + demand.batchDelayNanos();
        long fillDeadline = start + demand.fillWaitNanos();
        int expected = demand.expectedBatchSize();
        boolean alone = queue.isEmpty() && inFlight.get() <= 1;
        boolean shortfall = false;
        while (units < settings.maxBatchSize()) {
            BatchJob<T, R> next = queue.poll();
            if (next == null) {
                boolean expectingMore = batch.size() < expected;
                if (alone && !expectingMore) {
                    break;
                }
                long wait = (expectingMore ? fillDeadline : batchDeadline) - System.nanoTime();
                next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    shortfall = expectingMore;
                    break;
                }
            }
            if (units + weight(next) > settings.maxBatchSize()) {
                carried = next;
                break;
            }
            batch.add(next);
            units += weight(next);
        }
        if (shortfall) {
            demand.rememberShortfall(batch.size());
        } else {
            demand.rememberBatchSize(batch.size());
        }
        return batch;
    }

    private int weight(BatchJob<T, R> job) {
        return Math.max(1, handler.weight(job.input()));
    }

    /** Refuses abandoned requests, then runs each group of compatible ones in the order they came. */
    private void runGroups(List<BatchJob<T, R>> batch) throws InterruptedException {
        long now = System.nanoTime();
        Map<Object, List<BatchJob<T, R>>> groups = new LinkedHashMap<>();
        for (BatchJob<T, R> job : batch) {
            if (job.abandoned(now)) {
                job.result().completeExceptionally(handler.expired(job.input()));
            } else {
                groups.computeIfAbsent(handler.compatibilityKey(job.input()), key -> new ArrayList<>()).add(job);
            }
        }
        for (List<BatchJob<T, R>> group : groups.values()) {
            Throwable failure = null;
            try {
                handler.handle(group);
            } catch (InterruptedException e) {
                failAll(group, e);
                throw e;
            } catch (Exception | Error e) {
                log.error("{}: a batch of {} failed", name, group.size(), e);
                failure = e;
            }
            failAll(group, failure != null ? failure : new IllegalStateException(name + " left a request unanswered"));
        }
    }

    private static <T, R> void failAll(List<BatchJob<T, R>> jobs, Throwable failure) {
        jobs.forEach(job -> job.result().completeExceptionally(failure));
    }

    private void refuseQueued() {
        List<BatchJob<T, R>> left = new ArrayList<>();
        queue.drainTo(left);
        if (carried != null && !running) {
            left.add(carried);
            carried = null;
        }
        left.forEach(job -> job.result().completeExceptionally(handler.stopped()));
    }
}
