package io.recap.orchestrator.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kubernetes executor ({@code recap.executor.kubernetes.*}): one batch/v1 Job per job attempt.
 *
 * @param enabled creates the client and the Job informer; pools may then use executor {@code kubernetes}
 * @param namespace where Jobs are created (empty: the client's namespace)
 * @param image trainer image
 * @param imagePullPolicy pull policy of the trainer container
 * @param serviceAccount service account of the trainer pods (empty: the namespace default)
 * @param gpus {@code nvidia.com/gpu} limit per trainer pod; 0 requests no GPU
 * @param cpu CPU request (and limit) per trainer pod, empty for none
 * @param memory memory request (and limit) per trainer pod, empty for none
 * @param nodeSelector node labels trainer pods must land on
 * @param tolerations taints trainer pods tolerate (e.g. the GPU nodes' {@code nvidia.com/gpu} taint)
 * @param backoffLimit pod retries Kubernetes makes inside one Job before it fails
 * @param activeDeadline wall-clock limit of one Job
 * @param ttlAfterFinished finished Jobs are deleted by Kubernetes after this
 * @param queueName Kueue LocalQueue; when set Jobs carry {@code kueue.x-k8s.io/queue-name} and start suspended
 * @param storeClaim PersistentVolumeClaim holding the shared store, mounted at {@code storeMountPath}
 * @param storeMountPath where the store is mounted in the trainer
 * @param kafkaBootstrapServers brokers the trainer publishes {@code recap.training.events} to
 * @param env extra environment variables of the trainer container
 * @param secretEnv environment variables of the trainer container read from Secrets, name to {@code secret/key}
 *     (e.g. {@code KAFKA_SASL_PASSWORD: recap-trainer/password}, the Secret a Strimzi {@code KafkaUser} makes), so
 *     that no credential is written into the orchestrator's configuration or the Job
 * @param transientReasons pod/container termination reasons that count as transient (the job is retried)
 * @param resync informer resync period
 */
@ConfigurationProperties("recap.executor.kubernetes")
public record KubernetesExecutorProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String namespace,
        @DefaultValue("recap/trainer:latest") String image,
        @DefaultValue("IfNotPresent") String imagePullPolicy,
        @DefaultValue("") String serviceAccount,
        @DefaultValue("1") int gpus,
        @DefaultValue("") String cpu,
        @DefaultValue("") String memory,
        @DefaultValue Map<String, String> nodeSelector,
        @DefaultValue List<Toleration> tolerations,
        @DefaultValue("2") int backoffLimit,
        @DefaultValue("24h") Duration activeDeadline,
        @DefaultValue("1h") Duration ttlAfterFinished,
        @DefaultValue("") String queueName,
        @DefaultValue("") String storeClaim,
        @DefaultValue("/recap-data/store") String storeMountPath,
        @DefaultValue("") String kafkaBootstrapServers,
        @DefaultValue Map<String, String> env,
        @DefaultValue Map<String, String> secretEnv,
        @DefaultValue({"Evicted", "Preempted", "Shutdown", "NodeShutdown", "Terminated", "UnexpectedAdmissionError",
                "DisruptionTarget"}) List<String> transientReasons,
        @DefaultValue("5m") Duration resync) {

    /** A pod toleration; {@code value} and {@code effect} may be empty. */
    public record Toleration(String key, @DefaultValue("Exists") String operator, String value, String effect) {
    }

    public KubernetesExecutorProperties {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        env = env == null ? Map.of() : Map.copyOf(env);
        secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
        secretEnv.forEach((name, reference) -> {
            int slash = reference.indexOf('/');
            if (slash <= 0 || slash == reference.length() - 1 || reference.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("recap.executor.kubernetes.secret-env." + name
                        + " must be SECRET/KEY but was '" + reference + "'");
            }
        });
        transientReasons = transientReasons == null ? List.of() : List.copyOf(transientReasons);
        if (gpus < 0 || backoffLimit < 0) {
            throw new IllegalArgumentException("recap.executor.kubernetes: gpus and backoff-limit must be >= 0");
        }
    }
}
