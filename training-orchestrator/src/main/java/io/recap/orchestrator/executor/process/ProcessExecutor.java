package io.recap.orchestrator.executor.process;

import io.recap.orchestrator.config.ProcessExecutorProperties;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.ExecutorStartException;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.jobs.Job;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.trainer.TrainerEnvironment;
import io.recap.orchestrator.trainer.TrainerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs each attempt as a child JVM on this machine: the trainer entry point {@link TrainerMain}, with the attempt in
 * its environment ({@link TrainerEnvironment#variables}), exactly as a Kubernetes trainer pod runs it. Progress,
 * checkpoints, metrics and the trainer's own terminal state come back on {@code recap.training.events}; the exit
 * status ends the attempt when the trainer could not say so itself (killed, crashed, invalid environment).
 *
 * <p>Unlike the in-process {@code local} executor, several attempts train at once (one JVM each: DJL's PyTorch
 * engine allows one gradient collector per process), and a cancel or a crash of one trainer cannot take the
 * orchestrator with it. Cancel sends SIGTERM (the trainer stops between steps and exits
 * {@value TrainerMain#EXIT_STOPPED}), then kills after {@code stop-grace}. On shutdown every trainer is stopped that way
 * and its job left RUNNING, to be resumed from its last checkpoint on the next start; a trainer found still running
 * from before a crash (by its pid file) is stopped too, so that no attempt ever runs twice.
 */
public class ProcessExecutor implements JobExecutor, DisposableBean {

    public static final String NAME = "process";
    /** System property naming the attempt in the trainer's command line ({@code jobId/attempt}). */
    static final String ATTEMPT_PROPERTY = "recap.trainer.attempt";
    private static final Logger log = LoggerFactory.getLogger(ProcessExecutor.class);
    private static final int LOG_TAIL_LINES = 8;

    private final ProcessExecutorProperties properties;
    private final JobLifecycle lifecycle;
    private final JobRepository jobs;
    private final String store;
    private final String bootstrapServers;
    private final List<Path> imageRoots;
    private final List<String> launch;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService callbacks = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "recap-process-executor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean shuttingDown;

    private static final class Running {
        final int attempt;
        final Process process;
        final Path log;
        volatile boolean cancelled;

        Running(int attempt, Process process, Path log) {
            this.attempt = attempt;
            this.process = process;
            this.log = log;
        }
    }

    /**
     * @param store the store's root (absolute)
     * @param bootstrapServers the brokers trainers publish their events to
     * @param imageRoots where trainers may read images and corpora ({@code RECAP_IMAGE_ROOTS})
     */
    public ProcessExecutor(ProcessExecutorProperties properties, JobLifecycle lifecycle, JobRepository jobs, Path store,
            String bootstrapServers, List<Path> imageRoots) {
        this.properties = properties;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.store = store.toAbsolutePath().normalize().toString();
        this.bootstrapServers = bootstrapServers;
        this.imageRoots = imageRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        String classPath = properties.classPath().isBlank() ? System.getProperty("java.class.path") : properties.classPath();
        this.launch = launchCommand(classPath);
        try {
            Files.createDirectories(properties.logDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the trainer log directory " + properties.logDirectory(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String start(ExecutionRequest request) throws ExecutorStartException {
        if (shuttingDown) {
            throw new ExecutorStartException("the process executor is shutting down", true, null);
        }
        List<String> command = command(request.jobId(), request.attempt());
        Path logFile = properties.logDirectory().resolve(request.jobId() + "-" + request.attempt() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(TrainerEnvironment.variables(request, store, bootstrapServers));
        env.put("RECAP_IMAGE_ROOTS", String.join(",", imageRoots.stream().map(Path::toString).toList()));
        env.putAll(properties.env());
        Running attempt;
        synchronized (running) {
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new ExecutorStartException("cannot start a trainer JVM (" + command.get(0) + "): "
                        + e.getMessage(), false, e);
            }
            attempt = new Running(request.attempt(), process, logFile);
            running.put(request.jobId(), attempt);
            writePid(request.jobId(), request.attempt(), process.pid());
        }
        attempt.process.onExit().thenAcceptAsync(p -> exited(request.jobId(), attempt), callbacks);
        lifecycle.log(request.jobId(), "trainer process " + attempt.process.pid() + " started; output in " + logFile);
        return "process:" + attempt.process.pid();
    }

    private void exited(String jobId, Running attempt) {
        int status = attempt.process.exitValue();
        running.remove(jobId, attempt);
        deletePid(jobId, attempt.attempt);
        if (shuttingDown && !attempt.cancelled) {
            log.info("job {}: trainer of attempt {} stopped by shutdown (exit {}); it resumes on the next start", jobId,
                    attempt.attempt, status);
            return;
        }
        AttemptOutcome outcome = outcome(status, attempt.cancelled);
        if (outcome.status() == AttemptOutcome.Status.FAILED) {
            lifecycle.log(jobId, "trainer output (last lines of " + attempt.log + "):\n" + tail(attempt.log));
        }
        if (outcome.status() == AttemptOutcome.Status.SUCCEEDED) {
            awaitTrainerReport(jobId);
        }
        try {
            lifecycle.attemptFinished(jobId, attempt.attempt, outcome);
        } catch (RuntimeException e) {
            log.error("job {}: could not record the end of attempt {}", jobId, attempt.attempt, e);
        }
    }

    /** How an attempt ended, from the trainer's exit status ({@link TrainerMain}'s codes). */
    static AttemptOutcome outcome(int status, boolean cancelled) {
        if (cancelled) {
            return AttemptOutcome.cancelled("cancelled");
        }
        return switch (status) {
            case TrainerMain.EXIT_SUCCEEDED -> AttemptOutcome.succeeded();
            case TrainerMain.EXIT_FAILED -> AttemptOutcome.failed("the trainer failed (exit 1)", false);
            case TrainerMain.EXIT_INVALID_ENVIRONMENT ->
                    AttemptOutcome.failed("the trainer refused its environment (exit 2)", false);
            case TrainerMain.EXIT_TRANSIENT -> AttemptOutcome.failed("the trainer failed transiently (exit 75)", true);
            case TrainerMain.EXIT_STOPPED -> AttemptOutcome.failed("the trainer was stopped by SIGTERM (exit 143)", true);
            default -> AttemptOutcome.failed("the trainer process ended with status " + status
                    + (status > 128 ? " (signal " + (status - 128) + ")" : ""), true);
        };
    }

    /**
     * The trainer publishes {@code STATE SUCCEEDED} after its last progress, on the same partition: waiting for it
     * (briefly) means a job seen SUCCEEDED also shows its final progress, as with the other executors.
     */
    private void awaitTrainerReport(String jobId) {
        long deadline = System.nanoTime() + properties.successSettle().toNanos();
        while (System.nanoTime() < deadline) {
            if (jobs.find(jobId).map(job -> job.state().isTerminal()).orElse(true)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void cancel(String jobId, int attempt) {
        Running current = running.get(jobId);
        if (current != null && current.attempt == attempt) {
            current.cancelled = true;
            stop(current.process);
        }
    }

    /**
     * An attempt does not survive the orchestrator: a trainer still running from before a restart (found by its pid
     * file and its command line) is stopped, and the job starts again from its last recorded checkpoint.
     */
    @Override
    public boolean reattach(Job job) {
        Path pidFile = pidFile(job.jobId(), job.attempt());
        Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(handle -> handle.info().commandLine()
                        .map(line -> line.contains("-D" + ATTEMPT_PROPERTY + "=" + job.jobId() + "/" + job.attempt()))
                        .orElse(false));
        orphan.ifPresent(handle -> {
            lifecycle.log(job.jobId(), "stopping trainer process " + handle.pid() + " left from before the restart");
            stop(handle);
        });
        deletePid(job.jobId(), job.attempt());
        return false;
    }

    /** Trainer processes running right now (for tests). */
    public int runningCount() {
        return running.size();
    }

    @Override
    public void destroy() {
        shuttingDown = true;
        List<Thread> stopping = new ArrayList<>();
        for (Running attempt : running.values()) {
            Thread thread = new Thread(() -> stop(attempt.process), "recap-process-stop");
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join(properties.stopGrace().toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        callbacks.shutdown();
    }

    private void stop(Process process) {
        stop(process.toHandle());
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    private void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(properties.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (Exception e) {
            log.warn("trainer process {} did not stop within {}; killing it", process.pid(), properties.stopGrace());
            process.destroyForcibly();
        }
    }

    List<String> command(String jobId, int attempt) {
        List<String> command = new ArrayList<>();
        command.add(properties.java().isBlank() ? currentJava() : properties.java());
        command.addAll(properties.jvmOptions());
        command.add("-D" + ATTEMPT_PROPERTY + "=" + jobId + "/" + attempt);
        command.addAll(launch);
        return command;
    }

    /**
     * {@code -cp CP TrainerMain}; for the orchestrator's executable jar (classes under {@code BOOT-INF/}), through
     * Spring Boot's launcher, as the trainer image does.
     */
    static List<String> launchCommand(String classPath) {
        if (isExecutableJar(classPath)) {
            return List.of("-cp", classPath, "-Dloader.main=" + TrainerMain.class.getName(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher");
        }
        return List.of("-cp", classPath, TrainerMain.class.getName());
    }

    private static boolean isExecutableJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private Path pidFile(String jobId, int attempt) {
        return properties.logDirectory().resolve(jobId + "-" + attempt + ".pid");
    }

    private void writePid(String jobId, int attempt, long pid) {
        try {
            Files.writeString(pidFile(jobId, attempt), Long.toString(pid), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("job {}: cannot write the pid file of attempt {}: {}", jobId, attempt, e.toString());
        }
    }

    private void deletePid(String jobId, int attempt) {
        try {
            Files.deleteIfExists(pidFile(jobId, attempt));
        } catch (IOException e) {
            log.warn("job {}: cannot delete the pid file of attempt {}: {}", jobId, attempt, e.toString());
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
