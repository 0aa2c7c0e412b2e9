package io.recap.orchestrator.config;

import io.recap.core.domain.JobKind;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The queue's pools ({@code recap.scheduling.*}). A pool is a set of slots (e.g. {@code gpu: 0, cpu: 1}
 * on a CPU machine); never more jobs of a pool are RUNNING than it has slots. Each pool is served by
 * one executor ({@code local} or {@code kubernetes}).
 *
 * @param slots slots per pool
 * @param executors executor per pool; pools not named here use {@code defaultExecutor}
 * @param defaultExecutor executor of pools not listed in {@code executors}
 * @param kindPools pool a job kind goes to when the request names none
 * @param defaultPool pool of kinds not listed in {@code kindPools}
 * @param pollInterval how often the scheduler looks at the queue when nothing wakes it
 */
@ConfigurationProperties("recap.scheduling")
public record SchedulingProperties(
        @DefaultValue Map<String, Integer> slots,
        @DefaultValue Map<String, String> executors,
        @DefaultValue("local") String defaultExecutor,
        @DefaultValue Map<JobKind, String> kindPools,
        @DefaultValue("cpu") String defaultPool,
        @DefaultValue("1s") Duration pollInterval) {

    public SchedulingProperties {
        slots = new TreeMap<>(slots == null || slots.isEmpty() ? Map.of("cpu", 1) : slots);
        executors = executors == null ? Map.of() : Map.copyOf(executors);
        kindPools = kindPools == null ? Map.of() : Map.copyOf(kindPools);
        slots.forEach((pool, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("recap.scheduling.slots." + pool + " must be >= 0");
            }
        });
        if (!slots.containsKey(defaultPool)) {
            throw new IllegalArgumentException("recap.scheduling.default-pool '" + defaultPool
                    + "' is not one of the pools " + slots.keySet());
        }
        for (Map.Entry<JobKind, String> entry : kindPools.entrySet()) {
            if (!slots.containsKey(entry.getValue())) {
                throw new IllegalArgumentException("recap.scheduling.kind-pools." + entry.getKey() + " names pool '"
                        + entry.getValue() + "', which is not one of " + slots.keySet());
            }
        }
        for (String pool : executors.keySet()) {
            if (!slots.containsKey(pool)) {
                throw new IllegalArgumentException("recap.scheduling.executors names unknown pool '" + pool + "'");
            }
        }
        slots = Map.copyOf(slots);
    }

    public String poolFor(JobKind kind) {
        return kindPools.getOrDefault(kind, defaultPool);
    }

    public String executorFor(String pool) {
        return executors.getOrDefault(pool, defaultExecutor);
    }
}
