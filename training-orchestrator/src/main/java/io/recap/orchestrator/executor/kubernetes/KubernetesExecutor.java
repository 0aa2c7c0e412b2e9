package io.recap.orchestrator.executor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.recap.orchestrator.config.KubernetesExecutorProperties;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.ExecutorStartException;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.trainer.TrainerMain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One batch/v1 Job per attempt, followed with a {@link SharedIndexInformer} on the Jobs this orchestrator
 * manages (label selector {@code app.kubernetes.io/managed-by=recap-training-orchestrator}). A Job that
 * completes ends its attempt as SUCCEEDED; one that fails ends it as FAILED with the Job condition's reason
 * and the failed pods' reasons (pod status reason, container termination reason and exit code) — transient
 * when one of them is in {@code transient-reasons}, the pod was disrupted, or the trainer exited with
 * {@link TrainerMain#EXIT_TRANSIENT}. A trainer that fails for good also publishes {@code STATE FAILED} with its
 * reason, which finishes the job before (or instead of) the Job's failure. After a restart the informer's
 * initial list re-delivers every managed Job, which re-attaches running jobs by label.
 */
public class KubernetesExecutor implements JobExecutor, SmartLifecycle {

    public static final String NAME = "kubernetes";
    private static final Logger log = LoggerFactory.getLogger(KubernetesExecutor.class);

    private final KubernetesClient client;
    private final KubernetesExecutorProperties properties;
    private final JobLifecycle lifecycle;
    private final String namespace;
    private final KubernetesJobFactory factory;
    private volatile SharedIndexInformer<Job> informer;

    public KubernetesExecutor(KubernetesClient client, KubernetesExecutorProperties properties, JobLifecycle lifecycle) {
        this.client = client;
        this.properties = properties;
        this.lifecycle = lifecycle;
        this.namespace = properties.namespace().isBlank() ? client.getNamespace() : properties.namespace();
        this.factory = new KubernetesJobFactory(properties, namespace);
    }

    @Override
    public String name() {
        return NAME;
    }

    public KubernetesJobFactory factory() {
        return factory;
    }

    @Override
    public String start(ExecutionRequest request) throws ExecutorStartException {
        Job job = factory.build(request);
        String name = job.getMetadata().getName();
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
            lifecycle.log(request.jobId(), "created Kubernetes Job " + namespace + "/" + name);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                lifecycle.log(request.jobId(), "Kubernetes Job " + name + " already exists; following it");
                return name; // created before a crash: follow the existing one
            }
            boolean transientError = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
            throw new ExecutorStartException("Kubernetes refused Job " + name + ": " + e.getMessage(), transientError, e);
        }
        return name;
    }

    @Override
    public void cancel(String jobId, int attempt) {
        String name = KubernetesJobFactory.jobName(jobId, attempt);
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            log.warn("could not delete Kubernetes Job {}: {}", name, e.getMessage());
        }
    }

    /** Finds the attempt's Job by its labels (job id and attempt) and reports it if it finished meanwhile. */
    @Override
    public boolean reattach(io.recap.orchestrator.jobs.Job job) {
        List<Job> found = client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(KubernetesJobFactory.LABEL_MANAGED_BY, KubernetesJobFactory.MANAGED_BY)
                .withLabel(KubernetesJobFactory.LABEL_JOB_ID, job.jobId())
                .withLabel(KubernetesJobFactory.LABEL_ATTEMPT, Integer.toString(job.attempt()))
                .list().getItems();
        if (found.isEmpty()) {
            return false;
        }
        observe(found.get(0)); // it may have finished while the orchestrator was down
        return true;
    }

    @Override
    public void start() {
        informer = client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(KubernetesJobFactory.LABEL_MANAGED_BY, KubernetesJobFactory.MANAGED_BY)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Job job) {
                        observeSafely(job);
                    }

                    @Override
                    public void onUpdate(Job oldJob, Job newJob) {
                        observeSafely(newJob);
                    }

                    @Override
                    public void onDelete(Job job, boolean deletedFinalStateUnknown) {
                        deleted(job);
                    }
                }, properties.resync().toMillis());
    }

    @Override
    public void stop() {
        SharedIndexInformer<Job> current = informer;
        informer = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return informer != null;
    }

    /** Starts before the scheduler, so that re-attached jobs are followed from the start. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void observeSafely(Job job) {
        try {
            observe(job);
        } catch (RuntimeException e) {
            log.error("could not process Kubernetes Job {}", job.getMetadata().getName(), e);
        }
    }

    /** Reports the attempt's end if the Job has finished; does nothing while it runs. */
    void observe(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        String jobId = labels == null ? null : labels.get(KubernetesJobFactory.LABEL_JOB_ID);
        String attemptText = labels == null ? null : labels.get(KubernetesJobFactory.LABEL_ATTEMPT);
        if (jobId == null || attemptText == null) {
            return;
        }
        int attempt = Integer.parseInt(attemptText);
        JobStatus status = job.getStatus();
        if (status == null) {
            return;
        }
        if (hasCondition(status, "Complete") || hasCondition(status, "SuccessCriteriaMet")) {
            lifecycle.attemptFinished(jobId, attempt, AttemptOutcome.succeeded());
        } else if (hasCondition(status, "Failed") || hasCondition(status, "FailureTarget")) {
            List<String> reasons = new ArrayList<>();
            boolean transientFailure = describeFailure(job, status, reasons);
            lifecycle.attemptFinished(jobId, attempt, AttemptOutcome.failed(String.join("; ", reasons), transientFailure));
        }
    }

    private void deleted(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        if (labels == null || labels.get(KubernetesJobFactory.LABEL_JOB_ID) == null) {
            return;
        }
        // Completed Jobs expire (TTL) after their outcome was recorded, and cancelled ones are already terminal:
        // both are ignored there. Anything else was deleted from under a running job.
        lifecycle.attemptFinished(labels.get(KubernetesJobFactory.LABEL_JOB_ID),
                Integer.parseInt(labels.get(KubernetesJobFactory.LABEL_ATTEMPT)),
                AttemptOutcome.failed("Kubernetes Job " + job.getMetadata().getName() + " was deleted before it finished",
                        true));
    }

    /** Collects the failure reasons of the Job and its failed pods; true if any of them is transient. */
    private boolean describeFailure(Job job, JobStatus status, List<String> reasons) {
        boolean transientFailure = false;
        for (JobCondition condition : status.getConditions()) {
            if (("Failed".equals(condition.getType()) || "FailureTarget".equals(condition.getType()))
                    && "True".equals(condition.getStatus())) {
                reasons.add(condition.getReason() + (condition.getMessage() == null ? "" : ": " + condition.getMessage()));
                transientFailure |= isTransient(condition.getReason());
                break;
            }
        }
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace)
                    .withLabel(KubernetesJobFactory.LABEL_JOB_ID, job.getMetadata().getLabels().get(KubernetesJobFactory.LABEL_JOB_ID))
                    .withLabel(KubernetesJobFactory.LABEL_ATTEMPT, job.getMetadata().getLabels().get(KubernetesJobFactory.LABEL_ATTEMPT))
                    .list().getItems();
        } catch (KubernetesClientException e) {
            reasons.add("pods not readable: " + e.getMessage());
            return transientFailure;
        }
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod pod : pods) {
            if (pod.getStatus() == null || !"Failed".equals(pod.getStatus().getPhase())) {
                continue;
            }
            StringBuilder reason = new StringBuilder("pod ").append(pod.getMetadata().getName());
            if (pod.getStatus().getReason() != null) {
                reason.append(": ").append(pod.getStatus().getReason());
                if (pod.getStatus().getMessage() != null) {
                    reason.append(" (").append(pod.getStatus().getMessage()).append(')');
                }
                transientFailure |= isTransient(pod.getStatus().getReason());
            }
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if ("DisruptionTarget".equals(condition.getType()) && "True".equals(condition.getStatus())) {
                    reason.append(", disrupted: ").append(condition.getReason());
                    transientFailure = true;
                }
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (container.getState() != null && container.getState().getTerminated() != null) {
                    var terminated = container.getState().getTerminated();
                    reason.append(", container ").append(container.getName()).append(" terminated: ")
                            .append(terminated.getReason()).append(" (exit code ").append(terminated.getExitCode()).append(')');
                    if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
                        reason.append(": ").append(terminated.getMessage().strip());
                    }
                    transientFailure |= isTransient(terminated.getReason())
                            // TrainerMain's own verdict: a TransientTaskException (retry from the last checkpoint).
                            || (KubernetesJobFactory.CONTAINER.equals(container.getName())
                                    && terminated.getExitCode() != null
                                    && terminated.getExitCode() == TrainerMain.EXIT_TRANSIENT);
                }
            }
            reasons.add(reason.toString());
        }
        return transientFailure;
    }

    private boolean isTransient(String reason) {
        return reason != null && properties.transientReasons().contains(reason);
    }

    private static boolean hasCondition(JobStatus status, String type) {
        return status.getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
