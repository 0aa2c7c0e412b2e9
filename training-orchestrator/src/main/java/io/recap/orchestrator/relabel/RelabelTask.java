package io.recap.orchestrator.relabel;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.catalog.CatalogService.RelabelPage;
import io.recap.orchestrator.config.RelabelProperties;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.jobs.RelabelOnly;
import io.recap.orchestrator.jobs.RelabelSpec;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.orchestrator.task.TransientTaskException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * RECAP step 2: relabels a corpus with one captioner version through the relabel workers.
 *
 * <ol>
 * <li>Plan: reads the corpus from the catalog page by page; an image that already has a caption by this
 *     captioner version in every requested style is skipped. What is left is sent ({@code only=missing}, the
 *     default), or of it only the images with a recorded relabel error ({@code only=failed}); a sent image's
 *     recorded error is forgotten first, so that its new outcome is awaited. The rest is
 *     grouped by the styles it lacks and cut into {@link RelabelRequest}s of {@code batchSize} images, key
 *     {@code corpusId/batchId}, batch ids {@code {jobId}-{n}} over the images in catalog order — so a retry
 *     that finds the same work resends the very same batches, and whatever arrives twice is absorbed by the
 *     catalog's unique key (image, style, captioner version).</li>
 * <li>Publish them to {@code recap.relabel.requests}, waiting for the broker's acknowledgement.</li>
 * <li>Follow completion in the catalog (which the results reach through {@code recap.relabel.results}):
 *     progress is images with a result (caption or per-image error) of the corpus's images, with rate and ETA
 *     counted over what this attempt sends; errors go to the metrics and the log. The job succeeds when every
 *     sent image has a result, and fails transiently (so it is retried) when no new result arrived for
 *     {@code stallTimeout}.</li>
 * </ol>
 *
 * Cancellation stops the waiting; batches already on the topic are still captioned and recorded (harmless).
 * Older captioner versions' captions are never touched: lineage is kept per version.
 *
 * <p>Params (override {@code recap.orchestrator.relabel.*}): {@code batchSize}, {@code pollInterval},
 * {@code stallTimeout} (durations such as {@code 500ms}, {@code 2m}); {@code only} ({@link RelabelOnly}: {@code
 * missing} or {@code failed}, checked at submit).
 *
 * <p>Metrics: {@code images.total}, {@code images.skipped} (not sent: already captioned, or not failed when
 * {@code only=failed}), {@code images.sent}, {@code images.captioned} and {@code images.failed} (of those sent),
 * {@code images.failed.<CODE>} per error code, {@code images.done}, {@code batches.sent}.
 */
public final class RelabelTask implements TrainingTask {

    private static final Logger log = LoggerFactory.getLogger(RelabelTask.class);
    private static final int PAGE = 1000;
    /** Ids per catalog query while following completion. */
    private static final int CHECK_CHUNK = 500;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Metrics (counts by outcome) are reported at most this often while waiting, and at the end. */
    private static final long METRICS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final CatalogService catalog;
    private final EventPublisher events;
    private final RelabelProperties defaults;

    public RelabelTask(CatalogService catalog, EventPublisher events, RelabelProperties defaults) {
        this.catalog = catalog;
        this.events = events;
        this.defaults = defaults;
    }

    @Override
    public JobKind kind() {
        return JobKind.RELABEL;
    }

    @Override
    public void run(JobSpec jobSpec, TaskContext context) throws Exception {
        RelabelSpec spec = (RelabelSpec) jobSpec;
        Settings settings = Settings.of(defaults, context.params());
        if (!catalog.corpusExists(spec.corpusId())) {
            throw new IllegalStateException("corpus " + spec.corpusId() + " is not in the catalog");
        }
        if (!context.models().exists(spec.captioner())) {
            throw new IllegalStateException("captioner " + spec.captioner() + " is not in the model store");
        }
        Plan plan = planAndPublish(spec, settings, context);
        long total = plan.images;
        long done = plan.skipped;
        context.progressStartsAt(done);
        context.progress(done, total, null);
        context.log(String.format(Locale.ROOT,
                "relabel %s with %s (styles %s): %d images, %d already have results, %d sent in %d batches to %s",
                spec.corpusId(), spec.captioner(), spec.styles(), total, plan.skipped, plan.pending.size(),
                plan.batches, Topics.RELABEL_REQUESTS));
        Map<String, Double> counts = new LinkedHashMap<>();
        counts.put("images.total", (double) total);
        counts.put("images.skipped", (double) plan.skipped);
        counts.put("images.sent", (double) plan.pending.size());
        counts.put("batches.sent", (double) plan.batches);
        reportResults(spec, context, done, plan.skipped, counts);

        List<String> remaining = plan.pending;
        long waitStart = System.nanoTime();
        long lastResult = waitStart;
        long lastLog = waitStart;
        long lastMetrics = waitStart;
        while (!remaining.isEmpty()) {
            context.throwIfCancelled();
            Thread.sleep(settings.pollInterval.toMillis());
            List<String> still = stillPending(spec, remaining);
            long now = System.nanoTime();
            if (still.size() < remaining.size()) {
                done += remaining.size() - still.size();
                remaining = still;
                lastResult = now;
                context.progress(done, total, null);
                if (remaining.isEmpty() || now - lastMetrics >= METRICS_EVERY_NANOS) {
                    lastMetrics = now;
                    long failed = reportResults(spec, context, done, plan.skipped, counts);
                    if (now - lastLog >= LOG_EVERY_NANOS && !remaining.isEmpty()) {
                        lastLog = now;
                        context.log(String.format(Locale.ROOT, "%d of %d images have results (%.1f images/s), "
                                + "%d errors", done, total, (done - plan.skipped) / ((now - waitStart) / 1e9), failed));
                    }
                }
            } else if (now - lastResult > settings.stallTimeout.toNanos()) {
                throw new TransientTaskException(String.format(Locale.ROOT,
                        "relabel stalled: no new result for %s; %d of %d sent images still have none (captioner %s). "
                                + "Are relabel workers running (consumer group relabel-workers on %s), and can they "
                                + "load %s? Batches that fail as a whole go to %s",
                        settings.stallTimeout, remaining.size(), plan.pending.size(), spec.captioner(),
                        Topics.RELABEL_REQUESTS, spec.captioner(), Topics.RELABEL_DLQ));
            }
        }
        Map<String, Long> codes = catalog.failureCodes(spec.corpusId(), spec.captioner());
        long failed = codes.values().stream().mapToLong(Long::longValue).sum();
        context.log(String.format(Locale.ROOT, "relabel finished: %d of %d images have results by %s: %d captioned, "
                        + "%d errors%s; %d sent, %d skipped (only=%s)", done, total, spec.captioner(),
                done - plan.skipped - failed, failed, codes.isEmpty() ? "" : " " + codes, plan.pending.size(),
                plan.skipped, settings.only.name().toLowerCase(Locale.ROOT)));
    }

    /** What {@link #planAndPublish} sent: images in the corpus, already done, sent (in catalog order). */
    private record Plan(long images, long skipped, List<String> pending, int batches) {
    }

    private Plan planAndPublish(RelabelSpec spec, Settings settings, TaskContext context) throws Exception {
        long images = 0;
        long skipped = 0;
        List<String> pending = new ArrayList<>();
        // Open batches by the styles their images lack; in first-seen order, so the plan is deterministic.
        Map<Set<CaptionStyle>, List<RelabelRequest.Item>> open = new LinkedHashMap<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        int[] batches = {0};
        String after = null;
        while (true) {
            context.throwIfCancelled();
            RelabelPage page = catalog.relabelPage(spec.corpusId(), spec.captioner(), spec.styles(),
                    settings.only == RelabelOnly.FAILED, after, PAGE);
            if (page.images() == 0) {
                break;
            }
            images += page.images();
            skipped += page.images() - page.pending().size();
            List<String> forget = page.pending().stream().filter(RelabelPage.Pending::failed)
                    .map(RelabelPage.Pending::imageId).toList();
            if (!forget.isEmpty()) {
                catalog.forgetFailures(spec.corpusId(), spec.captioner(), forget);
            }
            for (RelabelPage.Pending image : page.pending()) {
                pending.add(image.imageId());
                List<RelabelRequest.Item> batch = open.computeIfAbsent(image.missingStyles(), s -> new ArrayList<>());
                batch.add(new RelabelRequest.Item(image.imageId(), ImageRef.ofUri(image.uri())));
                if (batch.size() == settings.batchSize) {
                    sends.add(send(spec, context, batches, batch, image.missingStyles()));
                    open.remove(image.missingStyles());
                }
            }
            after = page.lastImageId();
        }
        for (Map.Entry<Set<CaptionStyle>, List<RelabelRequest.Item>> batch : open.entrySet()) {
            sends.add(send(spec, context, batches, batch.getValue(), batch.getKey()));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(defaults.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new TransientTaskException("could not publish the relabel requests to " + Topics.RELABEL_REQUESTS
                    + " within " + defaults.publishTimeout() + ": " + cause, cause);
        }
        log.info("job {}: {} relabel batches ({} images) of corpus {} published for {}", context.jobId(), batches[0],
                pending.size(), spec.corpusId(), spec.captioner());
        return new Plan(images, skipped, pending, batches[0]);
    }

    private CompletableFuture<?> send(RelabelSpec spec, TaskContext context, int[] batches,
            List<RelabelRequest.Item> items, Set<CaptionStyle> styles) {
        context.throwIfCancelled();
        String batchId = String.format(Locale.ROOT, "%s-%05d", context.jobId(), batches[0]++);
        return events.publish(Topics.RELABEL_REQUESTS,
                new RelabelRequest(spec.corpusId(), batchId, items, spec.captioner(), styles));
    }

    /** The images of {@code remaining} (in catalog order) that still have no result. */
    private List<String> stillPending(RelabelSpec spec, List<String> remaining) {
        List<String> still = new ArrayList<>(remaining.size());
        for (int from = 0; from < remaining.size(); from += CHECK_CHUNK) {
            List<String> chunk = remaining.subList(from, Math.min(remaining.size(), from + CHECK_CHUNK));
            Set<String> resolved = catalog.resolved(spec.corpusId(), spec.captioner(), spec.styles(), chunk);
            for (String imageId : chunk) {
                if (!resolved.contains(imageId)) {
                    still.add(imageId);
                }
            }
        }
        return still;
    }

    /**
     * Publishes the counts at step {@code done}; returns the number of images with an error by this captioner.
     * Every recorded error belongs to an image this job sent: a sent image's old error was forgotten when planned,
     * and an image not sent has none (under {@code only=missing} all of them are sent; under {@code only=failed}
     * exactly those with one are).
     */
    private long reportResults(RelabelSpec spec, TaskContext context, long done, long skipped,
            Map<String, Double> counts) {
        Map<String, Long> codes = catalog.failureCodes(spec.corpusId(), spec.captioner());
        long failed = codes.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> metrics = new TreeMap<>(counts);
        metrics.put("images.done", (double) done);
        metrics.put("images.failed", (double) failed);
        codes.forEach((code, n) -> metrics.put("images.failed." + code, (double) n));
        metrics.put("images.captioned", (double) Math.max(0, done - skipped - failed));
        context.metrics(done, metrics);
        return failed;
    }

    /** Job settings: the configured defaults, overridden by the job's params. */
    record Settings(int batchSize, Duration pollInterval, Duration stallTimeout, RelabelOnly only) {

        static Settings of(RelabelProperties defaults, Map<String, String> params) {
            int batchSize = params.containsKey("batchSize") ? Integer.parseInt(params.get("batchSize").trim())
                    : defaults.batchSize();
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("params.batchSize must be 1..1000 but was " + batchSize);
            }
            Duration poll = duration(params, "pollInterval", defaults.pollInterval());
            Duration stall = duration(params, "stallTimeout", defaults.stallTimeout());
            if (poll.isZero() || poll.isNegative() || stall.compareTo(poll) < 0) {
                throw new IllegalArgumentException("params.pollInterval must be positive and params.stallTimeout at "
                        + "least as long");
            }
            return new Settings(batchSize, poll, stall, RelabelOnly.parse(params.get(RelabelOnly.PARAM)));
        }

        private static Duration duration(Map<String, String> params, String name, Duration fallback) {
            String text = params.get(name);
            if (text == null) {
                return fallback;
            }
            try {
                return DurationStyle.detectAndParse(text.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("params." + name + " is not a duration (e.g. 500ms, 30s, 2m): " + text);
            }
        }
    }
}
