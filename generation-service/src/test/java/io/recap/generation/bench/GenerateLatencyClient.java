package io.recap.generation.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency of a running generation-service over loopback, one request at a time (the
 * service's own cost shows best when nothing queues): for each step count, {@code requests}
 * {@code POST /generate} calls for one image with JSON answers; prints the client-side latency
 * (mean, p50, max) beside the service's own {@code timings.samplingMs}, so the service's overhead
 * over the sampler loop is {@code latency / sampling - 1}. Compare it with
 * {@code java -cp recap-experiments/target/recap-experiments.jar io.recap.experiments.diffusion.DiffusionBenchmark
 * small MODEL_DIR} (the raw sampler loop, same model, same machine). It presents the API key in the environment
 * variable {@code RECAP_API_KEY} (a user key or above). Needs only the JDK:
 *
 * <pre>
 * java generation-service/src/test/java/io/recap/generation/bench/GenerateLatencyClient.java \
 *     url=http://127.0.0.1:8082 steps=25,50 requests=10 prompt="a red circle and a blue square"
 * </pre>
 *
 * Refuses any host but the loopback address.
 */
public final class GenerateLatencyClient {

    private static final Pattern SAMPLING_MS = Pattern.compile("\"samplingMs\"\\s*:\\s*([0-9]+)");

    private GenerateLatencyClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8082"));
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("load only ever goes to loopback, not " + base.getHost());
        }
        int requests = Integer.parseInt(options.getOrDefault("requests", "10"));
        String prompt = options.getOrDefault("prompt", "a red circle and a blue square on a white background");
        int[] stepCounts = Arrays.stream(options.getOrDefault("steps", "25,50").split(","))
                .mapToInt(Integer::parseInt).toArray();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI generate = base.resolve("/generate");
        System.out.printf(Locale.ROOT, "generation-service %s, prompt \"%s\", %d requests per step count%n", base,
                prompt, requests);
        System.out.printf("%6s %12s %12s %12s %15s %10s%n", "steps", "mean ms", "p50 ms", "max ms",
                "sampling ms", "overhead");
        for (int steps : stepCounts) {
            send(http, generate, prompt, steps, 0); // warm-up: JIT, first pass at this size
            double[] latencies = new double[requests];
            double sampling = 0;
            for (int i = 0; i < requests; i++) {
                long begin = System.nanoTime();
                String body = send(http, generate, prompt, steps, i + 1);
                latencies[i] = (System.nanoTime() - begin) / 1e6;
                Matcher matcher = SAMPLING_MS.matcher(body);
                if (!matcher.find()) {
                    throw new IllegalStateException("no timings.samplingMs in the answer: " + body);
                }
                sampling += Double.parseDouble(matcher.group(1));
            }
            Arrays.sort(latencies);
            double mean = Arrays.stream(latencies).average().orElse(Double.NaN);
            double meanSampling = sampling / requests;
            System.out.printf(Locale.ROOT, "%6d %12.1f %12.1f %12.1f %15.1f %9.1f%%%n", steps, mean,
                    latencies[(requests - 1) / 2], latencies[requests - 1], meanSampling,
                    (mean / meanSampling - 1) * 100);
        }
    }

    private static String send(HttpClient http, URI generate, String prompt, int steps, long seed) throws Exception {
        String json = String.format(Locale.ROOT, "{\"prompt\":\"%s\",\"seed\":%d,\"steps\":%d,\"count\":1}",
                prompt.replace("\\", "\\\\").replace("\"", "\\\""), seed, steps);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(generate)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-API-Key", System.getenv().getOrDefault("RECAP_API_KEY", ""))
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /generate answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
