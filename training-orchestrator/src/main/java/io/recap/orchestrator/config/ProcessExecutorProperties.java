package io.recap.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The process executor ({@code recap.executor.process.*}): each attempt runs the trainer entry point
 * ({@code TrainerMain}) in a child JVM on this machine, so that several trainings run at once, each in its own
 * process (DJL's PyTorch engine allows one gradient collector per process).
 *
 * @param enabled registers the executor; pools may then use executor {@code process}
 * @param java the {@code java} binary (empty: the one running the orchestrator)
 * @param classPath the trainer's class path (empty: the orchestrator's own, its executable jar included)
 * @param jvmOptions options of each trainer JVM (heap, threads: {@code -Drecap.ml.threads=1} gives each trainer
 *        one core)
 * @param env extra environment variables of each trainer (added to the orchestrator's own)
 * @param logDirectory where each attempt's output goes ({@code {jobId}-{attempt}.log}, and its pid file)
 * @param stopGrace how long a trainer gets to stop after SIGTERM (cancel, shutdown) before it is killed
 * @param successSettle after a trainer exits 0, how long to wait for its own {@code STATE SUCCEEDED} event (which
 *        follows its last progress on the same partition) before the exit status alone ends the attempt
 */
@ConfigurationProperties("recap.executor.process")
public record ProcessExecutorProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String java,
        @DefaultValue("") String classPath,
        @DefaultValue({"-Xmx2g", "-Djava.awt.headless=true", "-Dai.djl.offline=true"}) List<String> jvmOptions,
        @DefaultValue Map<String, String> env,
        @DefaultValue("recap-data/orchestrator/trainer-logs") Path logDirectory,
        @DefaultValue("30s") Duration stopGrace,
        @DefaultValue("10s") Duration successSettle) {

    public ProcessExecutorProperties {
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
