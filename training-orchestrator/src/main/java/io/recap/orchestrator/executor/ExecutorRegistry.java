package io.recap.orchestrator.executor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The executors of this process, by name. */
public final class ExecutorRegistry {

    private final Map<String, JobExecutor> executors = new TreeMap<>();

    public ExecutorRegistry(List<JobExecutor> executors) {
        for (JobExecutor executor : executors) {
            if (this.executors.putIfAbsent(executor.name(), executor) != null) {
                throw new IllegalStateException("two executors named " + executor.name());
            }
        }
    }

    public Optional<JobExecutor> find(String name) {
        return Optional.ofNullable(name == null ? null : executors.get(name));
    }

    public java.util.Set<String> names() {
        return executors.keySet();
    }
}
