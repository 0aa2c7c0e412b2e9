package io.recap.orchestrator.executor.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.recap.orchestrator.config.KubernetesExecutorProperties;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.trainer.TrainerEnvironment;
import io.recap.orchestrator.trainer.TrainerMain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the batch/v1 Job of one attempt: the trainer image running {@code TrainerMain} with the job in its
 * environment, GPU limits,
 * node selector and tolerations, {@code restartPolicy: Never}, backoff limit, deadline, TTL, a Kueue queue
 * label when configured, and labels that lead back to the job.
 *
 * <p>Trainer environment: {@code RECAP_JOB_ID}, {@code RECAP_JOB_KIND}, {@code RECAP_JOB_ATTEMPT},
 * {@code RECAP_JOB_SPEC} (JSON), {@code RECAP_JOB_PARAMS} (JSON), {@code RECAP_STORE} (store mount),
 * {@code RECAP_CHECKPOINT_DIR}, {@code RECAP_RESUME_STEP} and {@code RECAP_RESUME_CHECKPOINT} (when resuming),
 * {@code RECAP_SNAPSHOT} (T2I_FINETUNE), {@code RECAP_EVENTS_TOPIC}, {@code KAFKA_BOOTSTRAP_SERVERS}; then
 * {@code recap.executor.kubernetes.env} (sorted) and {@code secret-env} (sorted, each read from a Secret key), which
 * is where the trainer's {@code KAFKA_SECURITY_PROTOCOL} / {@code KAFKA_SASL_*} come from on a broker with ACLs.
 */
public final class KubernetesJobFactory {

    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "recap-training-orchestrator";
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_JOB_ID = "recap.io/job-id";
    public static final String LABEL_ATTEMPT = "recap.io/attempt";
    public static final String LABEL_KIND = "recap.io/job-kind";
    public static final String LABEL_KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
    public static final String CONTAINER = "trainer";
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** The uid of every RECAP image (docker/service.Dockerfile, Dockerfile.trainer). */
    static final long TRAINER_UID = 10001;
    /** Where the trainer image's DJL extracts the PyTorch natives (its DJL_CACHE_DIR). */
    static final String DJL_CACHE = "/var/cache/recap/djl";
    /**
     * The trainer image is the orchestrator's executable jar at {@code /app/app.jar}; {@code TrainerMain} is started
     * through Spring Boot's launcher (which puts the jar's nested libraries on the class path), not as a web app.
     */
    public static final List<String> TRAINER_COMMAND = List.of("java", "-cp", "/app/app.jar",
            "-Dloader.main=" + TrainerMain.class.getName(), "org.springframework.boot.loader.launch.PropertiesLauncher");
    /**
     * Trainer exit codes that fail the Job at once instead of counting against {@code backoffLimit}: a permanent
     * failure would only repeat, and a transient one is retried by the orchestrator as a new attempt whose
     * environment names the newest checkpoint (a pod retried inside the Job would resume from the old one).
     */
    public static final List<Integer> FAIL_JOB_EXIT_CODES = List.of(TrainerMain.EXIT_FAILED,
            TrainerMain.EXIT_INVALID_ENVIRONMENT, TrainerMain.EXIT_TRANSIENT);

    private final KubernetesExecutorProperties properties;
    private final String namespace;

    public KubernetesJobFactory(KubernetesExecutorProperties properties, String namespace) {
        this.properties = properties;
        this.namespace = namespace;
    }

    /** {@code recap-{jobId}-{attempt}}: a DNS-1123 name; each attempt gets its own Job. */
    public static String jobName(String jobId, int attempt) {
        return ("recap-" + jobId + "-" + attempt).toLowerCase(Locale.ROOT);
    }

    public Job build(ExecutionRequest request) {
        String mount = properties.storeMountPath();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, "recap-trainer");
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put(LABEL_JOB_ID, request.jobId());
        labels.put(LABEL_ATTEMPT, Integer.toString(request.attempt()));
        labels.put(LABEL_KIND, request.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        Map<String, String> jobLabels = new LinkedHashMap<>(labels);
        boolean kueue = !properties.queueName().isBlank();
        if (kueue) {
            jobLabels.put(LABEL_KUEUE_QUEUE, properties.queueName());
        }

        Map<String, Quantity> limits = new TreeMap<>();
        Map<String, Quantity> requests = new TreeMap<>();
        if (properties.gpus() > 0) {
            limits.put(GPU_RESOURCE, new Quantity(Integer.toString(properties.gpus())));
        }
        if (!properties.cpu().isBlank()) {
            limits.put("cpu", new Quantity(properties.cpu()));
            requests.put("cpu", new Quantity(properties.cpu()));
        }
        if (!properties.memory().isBlank()) {
            limits.put("memory", new Quantity(properties.memory()));
            requests.put("memory", new Quantity(properties.memory()));
        }

        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(properties.image())
                .withImagePullPolicy(properties.imagePullPolicy())
                .withCommand(TRAINER_COMMAND)
                .withEnv(env(request, mount))
                .withNewResources().withLimits(limits).withRequests(requests.isEmpty() ? null : requests).endResources()
                // The services' container settings (Pod Security "restricted"): nothing to escalate, a read-only
                // root with writable scratch and DJL cache only.
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("djl-cache").withMountPath(DJL_CACHE).endVolumeMount();
        PodSpecBuilder pod = new PodSpecBuilder()
                .withRestartPolicy("Never")
                // The trainer never calls the Kubernetes API.
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(TRAINER_UID)
                    .withRunAsGroup(TRAINER_UID)
                    .withFsGroup(TRAINER_UID)
                    .withFsGroupChangePolicy("OnRootMismatch")
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("2Gi")).endEmptyDir()
                .endVolume()
                .addNewVolume().withName("djl-cache").withNewEmptyDir().withSizeLimit(new Quantity("1Gi")).endEmptyDir()
                .endVolume()
                .withNodeSelector(properties.nodeSelector().isEmpty() ? null : new TreeMap<>(properties.nodeSelector()))
                .withTolerations(tolerations().isEmpty() ? null : tolerations());
        if (!properties.serviceAccount().isBlank()) {
            pod.withServiceAccountName(properties.serviceAccount());
        }
        if (!properties.storeClaim().isBlank()) {
            container.addNewVolumeMount().withName("store").withMountPath(mount).endVolumeMount();
            pod.addNewVolume().withName("store").withNewPersistentVolumeClaim()
                    .withClaimName(properties.storeClaim()).endPersistentVolumeClaim().endVolume();
        }
        pod.withContainers(container.build());

        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(request.jobId(), request.attempt()))
                    .withNamespace(namespace)
                    .withLabels(jobLabels)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(properties.backoffLimit())
                    .withActiveDeadlineSeconds(properties.activeDeadline().toSeconds())
                    .withTtlSecondsAfterFinished((int) properties.ttlAfterFinished().toSeconds())
                    .withSuspend(kueue ? Boolean.TRUE : null)
                    // Disruptions (preemption, eviction, node drain) do not count against backoffLimit.
                    .withNewPodFailurePolicy()
                        .addNewRule().withAction("Ignore")
                            .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                        .endRule()
                        .addNewRule().withAction("FailJob")
                            .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In")
                                .withValues(FAIL_JOB_EXIT_CODES).endOnExitCodes()
                        .endRule()
                    .endPodFailurePolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withSpec(pod.build())
                    .endTemplate()
                .endSpec()
                .build();
    }

    private List<EnvVar> env(ExecutionRequest request, String mount) {
        List<EnvVar> env = new ArrayList<>();
        TrainerEnvironment.variables(request, mount, properties.kafkaBootstrapServers()).forEach((name, value) ->
                add(env, name, value));
        new TreeMap<>(properties.env()).forEach((name, value) -> add(env, name, value));
        new TreeMap<>(properties.secretEnv()).forEach((name, reference) -> {
            int slash = reference.indexOf('/');
            env.add(new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                    .withName(reference.substring(0, slash)).withKey(reference.substring(slash + 1))
                    .endSecretKeyRef().endValueFrom().build());
        });
        return env;
    }

    private List<Toleration> tolerations() {
        return properties.tolerations().stream()
                .map(t -> new TolerationBuilder()
                        .withKey(blankToNull(t.key()))
                        .withOperator(blankToNull(t.operator()))
                        .withValue(blankToNull(t.value()))
                        .withEffect(blankToNull(t.effect()))
                        .build())
                .toList();
    }

    private static void add(List<EnvVar> env, String name, String value) {
        env.add(new EnvVarBuilder().withName(name).withValue(value).build());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
