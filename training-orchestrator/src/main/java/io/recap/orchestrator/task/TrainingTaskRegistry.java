package io.recap.orchestrator.task;

import io.recap.core.domain.JobKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link TrainingTask} beans by kind; two tasks claiming one kind is a start-up error. */
public final class TrainingTaskRegistry {

    private final Map<JobKind, TrainingTask> tasks;

    public TrainingTaskRegistry(List<TrainingTask> tasks) {
        Map<JobKind, TrainingTask> byKind = new EnumMap<>(JobKind.class);
        for (TrainingTask task : tasks) {
            TrainingTask previous = byKind.putIfAbsent(task.kind(), task);
            if (previous != null) {
                throw new IllegalStateException("two training tasks for " + task.kind() + ": "
                        + previous.getClass().getName() + " and " + task.getClass().getName());
            }
        }
        this.tasks = Collections.unmodifiableMap(byKind);
    }

    public Optional<TrainingTask> find(JobKind kind) {
        return Optional.ofNullable(tasks.get(kind));
    }

    public Map<JobKind, TrainingTask> all() {
        return tasks;
    }
}
