package io.recap.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The orchestrator's meters:
 * <ul>
 * <li>{@code recap.orchestrator.jobs{state}}: jobs per state (refreshed by every scheduler pass)</li>
 * <li>{@code recap.orchestrator.pool.slots{pool}} and {@code recap.orchestrator.pool.running{pool}},
 *     {@code recap.orchestrator.pool.queued{pool}}</li>
 * <li>{@code recap.orchestrator.queue.wait{pool,kind}}: time from submission to start</li>
 * <li>{@code recap.orchestrator.attempts{executor,outcome}}: finished attempts</li>
 * <li>{@code recap.orchestrator.messages{topic,outcome}}: consumed messages (accepted, duplicate, malformed ...)</li>
 * </ul>
 */
public class OrchestratorMetrics {

    private final MeterRegistry registry;
    private final Map<JobState, AtomicLong> jobsByState = new EnumMap<>(JobState.class);
    private final Map<String, AtomicLong> poolRunning = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> poolQueued = new ConcurrentHashMap<>();

    public OrchestratorMetrics(MeterRegistry registry, Map<String, Integer> slots) {
        this.registry = registry;
        for (JobState state : JobState.values()) {
            AtomicLong value = new AtomicLong();
            jobsByState.put(state, value);
            Gauge.builder("recap.orchestrator.jobs", value, AtomicLong::get)
                    .description("Jobs by state").tag("state", state.name()).register(registry);
        }
        slots.forEach((pool, count) -> {
            Gauge.builder("recap.orchestrator.pool.slots", () -> count)
                    .description("Slots of a pool").tag("pool", pool).register(registry);
            AtomicLong running = poolRunning.computeIfAbsent(pool, p -> new AtomicLong());
            Gauge.builder("recap.orchestrator.pool.running", running, AtomicLong::get)
                    .description("RUNNING jobs of a pool").tag("pool", pool).register(registry);
            AtomicLong queued = poolQueued.computeIfAbsent(pool, p -> new AtomicLong());
            Gauge.builder("recap.orchestrator.pool.queued", queued, AtomicLong::get)
                    .description("QUEUED jobs of a pool").tag("pool", pool).register(registry);
        });
    }

    public void jobsByState(Map<JobState, Long> counts) {
        counts.forEach((state, count) -> jobsByState.get(state).set(count));
    }

    public void pools(Map<String, Long> running, Map<String, Long> queued) {
        poolRunning.forEach((pool, value) -> value.set(running.getOrDefault(pool, 0L)));
        poolQueued.forEach((pool, value) -> value.set(queued.getOrDefault(pool, 0L)));
    }

    public void queueWait(String pool, JobKind kind, Duration wait) {
        Timer.builder("recap.orchestrator.queue.wait").description("Time from submission to start")
                .tag("pool", pool).tag("kind", kind.name()).publishPercentileHistogram(false)
                .register(registry).record(wait.isNegative() ? Duration.ZERO : wait);
    }

    public void attempt(String executor, String outcome) {
        Counter.builder("recap.orchestrator.attempts").description("Finished job attempts")
                .tag("executor", executor == null ? "none" : executor).tag("outcome", outcome)
                .register(registry).increment();
    }

    public void message(String topic, String outcome) {
        Counter.builder("recap.orchestrator.messages").description("Consumed Kafka messages by outcome")
                .tag("topic", topic).tag("outcome", outcome).register(registry).increment();
    }

    public double messageCount(String topic, String outcome) {
        Counter counter = registry.find("recap.orchestrator.messages").tag("topic", topic).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
