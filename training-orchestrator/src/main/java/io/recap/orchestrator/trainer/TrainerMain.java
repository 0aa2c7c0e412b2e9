package io.recap.orchestrator.trainer;

import io.recap.core.domain.JobState;
import io.recap.core.kafka.KafkaClientSecurity;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RecapMessage;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.orchestrator.captioner.CaptionerFinetuneTask;
import io.recap.orchestrator.diffusion.T2iFinetuneTask;
import io.recap.orchestrator.evaluation.EvaluateTask;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.orchestrator.task.TrainingTaskRegistry;
import io.recap.orchestrator.task.TransientTaskException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer container's entry point (a plain {@code main}, no web application): reads one attempt from the
 * environment {@code KubernetesJobFactory} sets ({@link TrainerEnvironment}), runs the job kind's
 * {@link TrainingTask} — the very task the local executor would run — and reports on {@code recap.training.events}
 * through {@link KafkaTaskContext}: progress, checkpoints, metrics, and a terminal {@code STATE} event.
 *
 * <pre>
 * java -cp /app/app.jar -Dloader.main=io.recap.orchestrator.trainer.TrainerMain \
 *   org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 *
 * Exit status, which {@code KubernetesExecutor} reads back from the failed pod:
 * <ul>
 * <li>{@value #EXIT_SUCCEEDED}: done; {@code STATE SUCCEEDED} was published.</li>
 * <li>{@value #EXIT_FAILED}: the task failed for good; {@code STATE FAILED} with the reason was published.</li>
 * <li>{@value #EXIT_INVALID_ENVIRONMENT}: a variable is missing or malformed (or the kind cannot run in a pod);
 *     the message names it, and {@code STATE FAILED} is published when the job id and brokers are known.</li>
 * <li>{@value #EXIT_TRANSIENT}: a failure worth retrying ({@link TransientTaskException}); no terminal event, so the
 *     orchestrator retries from the last recorded checkpoint while the attempt budget lasts.</li>
 * <li>{@value #EXIT_STOPPED}: stopped by SIGTERM (Job deleted, pod evicted) between steps; no terminal event.</li>
 * </ul>
 * The Job's pod failure policy fails the Job at once on 1, 2 and 75 (no pod retries inside the Job: a retry is a
 * new attempt, with the newest checkpoint in its environment).
 */
public final class TrainerMain {

    public static final int EXIT_SUCCEEDED = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_INVALID_ENVIRONMENT = 2;
    /** EX_TEMPFAIL of sysexits.h. */
    public static final int EXIT_TRANSIENT = 75;
    /** 128 + SIGTERM, what a shell reports for a terminated process. */
    public static final int EXIT_STOPPED = 143;

    private static final Logger log = LoggerFactory.getLogger(TrainerMain.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(25);

    private TrainerMain() {
    }

    public static void main(String[] args) {
        setLogLevel(System.getenv().getOrDefault("RECAP_LOG_LEVEL", "info"));
        Thread mainThread = Thread.currentThread();
        AtomicReference<KafkaTaskContext> running = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: ask the task to stop at its next step and give it time to close its models cleanly.
            stopping.set(true);
            KafkaTaskContext context = running.get();
            if (context != null) {
                context.cancel();
            }
            try {
                mainThread.join(STOP_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "recap-trainer-stop"));
        int status = run(System.getenv(), running::set);
        if (!stopping.get()) {
            System.exit(status); // exiting during shutdown would wait for the hook that waits for us
        }
    }

    /** Runs one attempt described by {@code env}; returns the exit status. */
    public static int run(Map<String, String> env) {
        return run(env, context -> { });
    }

    static int run(Map<String, String> env, Consumer<KafkaTaskContext> started) {
        TrainerEnvironment environment;
        Duration progressInterval;
        try {
            environment = TrainerEnvironment.parse(env);
            progressInterval = progressInterval(env);
            KafkaClientSecurity.clientProperties(env);
        } catch (TrainerEnvironment.InvalidEnvironmentException | KafkaClientSecurity.InvalidKafkaSecurityException
                | java.io.UncheckedIOException e) {
            System.err.println("trainer: invalid environment: " + e.getMessage());
            reportInvalid(env, "invalid trainer environment: " + e.getMessage());
            return EXIT_INVALID_ENVIRONMENT;
        }
        TrainingTask task = tasks(environment.imageRoots()).find(environment.kind()).orElse(null);
        if (task == null) {
            String reason = environment.kind() + " does not run in a trainer pod (RELABEL coordinates relabel workers "
                    + "through the orchestrator's catalog: give it a pool on the local executor)";
            System.err.println("trainer: " + reason);
            reportInvalid(env, reason);
            return EXIT_INVALID_ENVIRONMENT;
        }
        log.info("job {}: attempt {} of {} starting ({}){}", environment.jobId(), environment.attempt(),
                environment.kind(), task.getClass().getSimpleName(), environment.resumeStep() == null ? ""
                        : ", resuming from step " + environment.resumeStep());
        try (Producer<String, byte[]> producer = producer(environment.bootstrapServers(), environment.jobId(), env)) {
            KafkaTaskContext context = new KafkaTaskContext(environment, producer, progressInterval, SEND_TIMEOUT);
            started.accept(context);
            return runTask(task, environment, context, producer);
        }
    }

    private static int runTask(TrainingTask task, TrainerEnvironment environment, KafkaTaskContext context,
            Producer<String, byte[]> producer) {
        try {
            task.run(environment.spec(), context);
            if (context.isCancelled()) {
                producer.flush();
                log.info("job {}: stopped", environment.jobId());
                return EXIT_STOPPED;
            }
            try {
                context.reportState(JobState.SUCCEEDED, null);
            } catch (KafkaTaskContext.EventSendException e) {
                // The Job still completes, and the executor reports that; only the trainer's own word is missing.
                log.warn("job {}: succeeded, but the SUCCEEDED event was not published: {}", environment.jobId(),
                        e.getMessage());
            }
            log.info("job {}: attempt {} succeeded", environment.jobId(), environment.attempt());
            return EXIT_SUCCEEDED;
        } catch (TransientTaskException e) {
            producer.flush();
            log.warn("job {}: attempt {} failed transiently: {}", environment.jobId(), environment.attempt(),
                    e.getMessage());
            System.err.println("trainer: transient failure: " + e.getMessage());
            return EXIT_TRANSIENT;
        } catch (CancellationException | InterruptedException | ClosedByInterruptException e) {
            producer.flush();
            log.info("job {}: stopped: {}", environment.jobId(), e.getMessage());
            return EXIT_STOPPED;
        } catch (Throwable e) {
            String reason = describe(e);
            log.error("job {}: attempt {} failed: {}", environment.jobId(), environment.attempt(), reason, e);
            System.err.println("trainer: failed: " + reason);
            try {
                context.reportState(JobState.FAILED, reason);
            } catch (KafkaTaskContext.EventSendException sendFailure) {
                log.warn("job {}: FAILED event not published: {}", environment.jobId(), sendFailure.getMessage());
            }
            return EXIT_FAILED;
        }
    }

    /** The tasks a trainer pod can run: every kind that needs no orchestrator database. */
    static TrainingTaskRegistry tasks(List<Path> imageRoots) {
        return new TrainingTaskRegistry(List.of(new CaptionerFinetuneTask(imageRoots), new T2iFinetuneTask(imageRoots),
                new EvaluateTask()));
    }

    /**
     * The trainer's only client: it writes {@code recap.training.events}, which is all the {@code trainer} principal
     * may do when the broker checks ACLs. It authenticates from {@code KAFKA_SECURITY_PROTOCOL} and
     * {@code KAFKA_SASL_*} (docs/security.md).
     */
    private static Producer<String, byte[]> producer(String bootstrapServers, String jobId, Map<String, String> env) {
        Properties config = new Properties();
        config.putAll(KafkaClientSecurity.clientProperties(env));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "recap-trainer-" + jobId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    /** {@code RECAP_PROGRESS_INTERVAL_MS}: progress events at most this often (default 500). */
    private static Duration progressInterval(Map<String, String> env) {
        String text = env.get("RECAP_PROGRESS_INTERVAL_MS");
        if (text == null || text.isBlank()) {
            return Duration.ofMillis(500);
        }
        try {
            long millis = Long.parseLong(text.trim());
            if (millis < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            throw new TrainerEnvironment.InvalidEnvironmentException("RECAP_PROGRESS_INTERVAL_MS",
                    "not a non-negative integer: '" + text + "'");
        }
    }

    /** Best effort: fail the job with the reason when its id and the brokers are known. */
    private static void reportInvalid(Map<String, String> env, String reason) {
        String jobId = env.get("RECAP_JOB_ID");
        String servers = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (jobId == null || jobId.isBlank() || servers == null || servers.isBlank()) {
            return;
        }
        String topic = env.getOrDefault("RECAP_EVENTS_TOPIC", Topics.TRAINING_EVENTS);
        try (Producer<String, byte[]> producer = producer(servers.trim(), jobId.trim(), env)) {
            // The attempt is sent when it can be read: without it the orchestrator cannot tell this report from a
            // stale pod's and applies it to whichever attempt is current.
            TrainingEvent event = new TrainingEvent(RecapMessage.CURRENT_SCHEMA_VERSION, jobId.trim(),
                    attemptIfReadable(env.get("RECAP_JOB_ATTEMPT")), TrainingEvent.Type.STATE, null, null, null, null,
                    null, null, null, JobState.FAILED, reason, Instant.now());
            producer.send(new ProducerRecord<>(topic.isBlank() ? Topics.TRAINING_EVENTS : topic.trim(), event.key(),
                    new MessageCodec().encode(event))).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            System.err.println("trainer: could not report the failure on " + topic + ": " + e);
        }
    }

    private static Integer attemptIfReadable(String text) {
        try {
            int attempt = Integer.parseInt(text == null ? "" : text.trim());
            return attempt >= 1 ? attempt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static void setLogLevel(String level) {
        // Without Spring Boot, logback's defaults log everything at DEBUG (the Kafka client included).
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.toLevel(level.toUpperCase(Locale.ROOT),
                    ch.qos.logback.classic.Level.INFO));
        }
    }
}
