package io.recap.caption.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * {@code recap.caption.batch.size} metric on the management port, {@code management=URL}, by default the service's
 * port plus 1000; {@code metrics=false} skips reading it). Every request presents the API key in the environment
 * variable {@code RECAP_API_KEY} (a user key captions; the metrics need an admin key). Needs only the JDK:
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

    private static final String API_KEY = System.getenv().getOrDefault("RECAP_API_KEY", "");

    private CaptionLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8081"));
        URI management = URI.create(options.getOrDefault("management",
                "http://" + base.getHost() + ":" + (base.getPort() + 1000)));
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
        // Reading the service's metrics runs other Spring MVC code on its hot paths, and the JIT
        // recompiles them for about a minute after (9 % of a core here): off for clean numbers.
        boolean metrics = Boolean.parseBoolean(options.getOrDefault("metrics", "true"));

        URI caption = base.resolve("/caption");
        List<byte[]> requestBytes = new ArrayList<>();
        try (Stream<Path> files = Files.list(imageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".png")).sorted().limit(256).toList()) {
                requestBytes.add(postRequest(caption, "{\"imageBase64\":\""
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(file))
                        + "\",\"style\":\"" + style + "\",\"beamSize\":" + beam + "}"));
            }
        }
        if (requestBytes.isEmpty()) {
            throw new IllegalArgumentException("no PNG images in " + imageDir);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf(Locale.ROOT, "caption-service %s, style %s, beam %d, %d distinct images%n", base, style,
                beam, requestBytes.size());
        // Warm-up at the highest level: JIT on both sides, the service's batch sizes.
        run(caption, requestBytes, Arrays.stream(levels).max().orElse(1), warmup, seconds);
        System.out.printf("%11s %9s %9s %10s %9s %9s %9s %10s%n", "concurrency", "requests", "errors", "images/s",
                "p50 ms", "p99 ms", "max ms", "mean batch");
        List<String> histograms = new ArrayList<>();
        for (int level : levels) {
            double[] before = metrics ? batchSizes(http, management) : new double[2];
            Map<String, Double> bucketsBefore = metrics ? buckets(http, management) : Map.of();
            Result result = run(caption, requestBytes, level, requests, seconds);
            double[] after = metrics ? batchSizes(http, management) : new double[2];
            Map<String, Double> bucketsAfter = metrics ? buckets(http, management) : Map.of();
            StringBuilder histogram = new StringBuilder("  concurrency " + level + ", batches of size <= ");
            double previous = 0;
            for (Map.Entry<String, Double> bucket : bucketsAfter.entrySet()) {
                double cumulative = bucket.getValue() - bucketsBefore.getOrDefault(bucket.getKey(), 0.0);
                histogram.append(String.format(Locale.ROOT, "%s: %.0f  ", bucket.getKey(), cumulative - previous));
                previous = cumulative;
            }
            if (metrics) {
                histograms.add(histogram.toString());
            }
            double batches = after[0] - before[0];
            double meanBatch = batches > 0 ? (after[1] - before[1]) / batches : Double.NaN;
            System.out.printf(Locale.ROOT, "%11d %9d %9d %10.1f %9.1f %9.1f %9.1f %10.2f%n", level, result.ok,
                    result.errors, result.ok / result.seconds, result.percentile(0.50), result.percentile(0.99),
                    result.percentile(1.0), meanBatch);
        }
        if (metrics) {
            System.out.println("batch-size histogram (passes per bucket, from the service's Prometheus endpoint):");
            histograms.forEach(System.out::println);
        }
    }

    private static final Pattern BUCKET = Pattern.compile(
            "recap_caption_batch_size_bucket\\{[^}]*le=\"([0-9.+Inf]+)\"[^}]*\\}\\s+([0-9.eE+-]+)");

    /** Cumulative bucket counts of the batch-size histogram, by upper bound, in order. */
    private static Map<String, Double> buckets(HttpClient http, URI base) {
        Map<String, Double> buckets = new java.util.LinkedHashMap<>();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).header("X-API-Key", API_KEY)
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

    private static Result run(URI caption, List<byte[]> requests, int clients, int budget, double seconds)
            throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(clients);
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                KeepAliveConnection connection = new KeepAliveConnection(caption);
                try {
                    int n;
                    while ((n = issued.getAndIncrement()) < budget && System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        try {
                            if (connection.exchange(requests.get(n % requests.size())) == 200) {
                                latencies.add((System.nanoTime() - start) / 1e6);
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            connection.close();
                        }
                    }
                } finally {
                    connection.close();
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

    /** The bytes of one {@code POST} of a JSON body, built once so sending costs no encoding. */
    private static byte[] postRequest(URI target, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nX-API-Key: " + API_KEY
                + "\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /**
     * One persistent HTTP/1.1 connection sending prepared requests and reading whole responses
     * (Content-Length or chunked). A load generator must cost the machine little next to the service
     * it measures, as wrk does: this one spends microseconds per request where the JDK's HttpClient,
     * with its selector thread and futures, took about a millisecond of CPU (a fifth of a core at
     * 180 requests/s on this 2-core machine, taken from the service).
     */
    private static final class KeepAliveConnection {
        private final URI target;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        KeepAliveConnection(URI target) {
            this.target = target;
        }

        /** Sends one request and reads its whole response; returns the status code. */
        int exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket(target.getHost(), target.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                for (long chunk = Long.parseLong(line().split(";")[0].trim(), 16); chunk > 0;
                        chunk = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(chunk);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            }
            if (closeAfter) {
                close();
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** {count, total} of the service's batch-size summary, or zeros when it cannot be read. */
    private static double[] batchSizes(HttpClient http, URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    base.resolve("/actuator/metrics/recap.caption.batch.size")).header("X-API-Key", API_KEY).GET().build(),
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
