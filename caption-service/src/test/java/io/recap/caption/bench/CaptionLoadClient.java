package io.recap.caption.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Closed-loop load on a running caption-service over loopback: at each concurrency level, that
 * many clients each send {@code POST /caption} (JSON base64, one style) and send the next as soon
 * as the answer arrives, until the level's request budget or time limit is spent. Reports
 * throughput (images/s), latency p50/p99 and the mean batch size the service formed (from its
 * {@code recap.caption.batch.size} metric). Needs only the JDK:
 *
 * <pre>
 * java caption-service/src/test/java/io/recap/caption/bench/CaptionLoadClient.java \
 *     url=http://127.0.0.1:8081 images=CORPUS/images style=short beam=1 concurrency=1,8,32 \
 *     requests=400 seconds=60 warmup=40
 * </pre>
 *
 * Refuses any host but the loopback address.
 */
public final class CaptionLoadClient {

    private static final Pattern MEASUREMENT = Pattern.compile(
            "\"statistic\"\\s*:\\s*\"(COUNT|TOTAL|MAX)\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.eE+-]+)");

    private CaptionLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8081"));
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("load only ever goes to loopback, not " + base.getHost());
        }
        Path imageDir = Path.of(options.getOrDefault("images", "images"));
        String style = options.getOrDefault("style", "short");
        int beam = Integer.parseInt(options.getOrDefault("beam", "1"));
        int[] levels = Arrays.stream(options.getOrDefault("concurrency", "1,8,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int requests = Integer.parseInt(options.getOrDefault("requests", "400"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "40"));

        List<String> bodies = new ArrayList<>();
        try (Stream<Path> files = Files.list(imageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".png")).sorted().limit(256).toList()) {
                bodies.add("{\"imageBase64\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(file))
                        + "\",\"style\":\"" + style + "\",\"beamSize\":" + beam + "}");
            }
        }
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("no PNG images in " + imageDir);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI caption = base.resolve("/caption");
        System.out.printf(Locale.ROOT, "caption-service %s, style %s, beam %d, %d distinct images%n", base, style,
                beam, bodies.size());
        run(http, caption, bodies, 1, warmup, seconds); // warm-up: JIT, first batches
        System.out.printf("%11s %9s %9s %10s %9s %9s %9s %10s%n", "concurrency", "requests", "errors", "images/s",
                "p50 ms", "p99 ms", "max ms", "mean batch");
        List<String> histograms = new ArrayList<>();
        for (int level : levels) {
            double[] before = batchSizes(http, base);
            Map<String, Double> bucketsBefore = buckets(http, base);
            Result result = run(http, caption, bodies, level, requests, seconds);
            double[] after = batchSizes(http, base);
            Map<String, Double> bucketsAfter = buckets(http, base);
            StringBuilder histogram = new StringBuilder("  concurrency " + level + ", batches of size <= ");
            double previous = 0;
            for (Map.Entry<String, Double> bucket : bucketsAfter.entrySet()) {
                double cumulative = bucket.getValue() - bucketsBefore.getOrDefault(bucket.getKey(), 0.0);
                histogram.append(String.format(Locale.ROOT, "%s: %.0f  ", bucket.getKey(), cumulative - previous));
                previous = cumulative;
            }
            histograms.add(histogram.toString());
            double batches = after[0] - before[0];
            double meanBatch = batches > 0 ? (after[1] - before[1]) / batches : Double.NaN;
            System.out.printf(Locale.ROOT, "%11d %9d %9d %10.1f %9.1f %9.1f %9.1f %10.2f%n", level, result.ok,
                    result.errors, result.ok / result.seconds, result.percentile(0.50), result.percentile(0.99),
                    result.percentile(1.0), meanBatch);
        }
        System.out.println("batch-size histogram (passes per bucket, from the service's Prometheus endpoint):");
        histograms.forEach(System.out::println);
    }

    private static final Pattern BUCKET = Pattern.compile(
            "recap_caption_batch_size_bucket\\{[^}]*le=\"([0-9.+Inf]+)\"[^}]*\\}\\s+([0-9.eE+-]+)");

    /** Cumulative bucket counts of the batch-size histogram, by upper bound, in order. */
    private static Map<String, Double> buckets(HttpClient http, URI base) {
        Map<String, Double> buckets = new java.util.LinkedHashMap<>();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher matcher = BUCKET.matcher(response.body());
            while (matcher.find()) {
                buckets.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        } catch (IOException | InterruptedException e) {
            // No histogram then; the mean batch size is still printed.
        }
        return buckets;
    }

    private record Result(int ok, int errors, double seconds, double[] latenciesMs) {
        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(latenciesMs.length - 1, index))];
        }
    }

    private static Result run(HttpClient http, URI caption, List<String> bodies, int clients, int requests,
            double seconds) throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(clients);
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                try {
                    int n;
                    while ((n = issued.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                        HttpRequest request = HttpRequest.newBuilder(caption)
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(n % bodies.size())))
                                .build();
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                latencies.add((System.nanoTime() - start) / 1e6);
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "load-client-" + c);
            client.setDaemon(true);
            client.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - begin) / 1e9;
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(sorted.length, errors.get(), elapsed, sorted);
    }

    /** {count, total} of the service's batch-size summary, or zeros when it cannot be read. */
    private static double[] batchSizes(HttpClient http, URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    base.resolve("/actuator/metrics/recap.caption.batch.size")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            double count = 0;
            double total = 0;
            Matcher matcher = MEASUREMENT.matcher(response.body());
            while (matcher.find()) {
                if (matcher.group(1).equals("COUNT")) {
                    count = Double.parseDouble(matcher.group(2));
                } else if (matcher.group(1).equals("TOTAL")) {
                    total = Double.parseDouble(matcher.group(2));
                }
            }
            return new double[] {count, total};
        } catch (IOException | InterruptedException e) {
            return new double[] {0, 0};
        }
    }
}
