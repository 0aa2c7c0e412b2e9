package io.recap.orchestrator.scheduling;

import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.jobs.JobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code orchestrator} health (part of readiness): UP once start-up recovery is done and the scheduler
 * keeps passing; details show each pool's slots, running and queued jobs.
 */
public class SchedulerHealthIndicator implements HealthIndicator {

    private final Scheduler scheduler;
    private final JobRepository jobs;
    private final SchedulingProperties properties;
    private final ExecutorRegistry executors;
    private final Clock clock;

    public SchedulerHealthIndicator(Scheduler scheduler, JobRepository jobs, SchedulingProperties properties,
            ExecutorRegistry executors, Clock clock) {
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.properties = properties;
        this.executors = executors;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Health.Builder health;
        Instant lastPass = scheduler.lastPass();
        Duration stale = properties.pollInterval().multipliedBy(10).plusSeconds(30);
        if (!scheduler.isRunning() || !scheduler.isRecovered()) {
            health = Health.down().withDetail("scheduler", scheduler.isRunning() ? "recovering" : "stopped");
        } else if (lastPass == null || Duration.between(lastPass, clock.instant()).compareTo(stale) > 0) {
            health = Health.down().withDetail("scheduler", "stalled (last pass " + lastPass + ")");
        } else {
            health = Health.up().withDetail("scheduler", "running");
        }
        Map<String, Long> running = jobs.runningByPool();
        Map<String, Long> queued = jobs.queuedByPool();
        Map<String, Object> pools = new TreeMap<>();
        properties.slots().forEach((pool, slots) -> pools.put(pool, Map.of(
                "slots", slots,
                "running", running.getOrDefault(pool, 0L),
                "queued", queued.getOrDefault(pool, 0L),
                "executor", properties.executorFor(pool))));
        return health.withDetail("pools", pools).withDetail("executors", executors.names()).build();
    }
}
