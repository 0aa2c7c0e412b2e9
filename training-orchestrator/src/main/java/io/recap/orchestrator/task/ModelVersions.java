package io.recap.orchestrator.task;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.model.ModelStore;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Version names for what tasks publish: the next free {@code vN} of a model name, and the version a job already
 * published. Tasks record their job id in the manifest ({@link #JOB_ID}), so that an attempt that runs again after
 * publishing (the process died before the job was marked done) finds its model instead of publishing a twin.
 */
public final class ModelVersions {

    /** Hyper-parameter naming the orchestrator job that published a version. */
    public static final String JOB_ID = "orchestrator.jobId";

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");

    private ModelVersions() {
    }

    /** {@code v1} for a new name, else one more than the highest {@code vN} published under it. */
    public static String next(ModelStore store, ModelKind kind, String name) {
        int highest = 0;
        for (ModelManifest manifest : store.list(kind)) {
            Matcher matcher = VERSION.matcher(manifest.version());
            if (manifest.name().equals(name) && matcher.matches()) {
                highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
            }
        }
        return "v" + (highest + 1);
    }

    /**
     * Whether the context's job already published a version of {@code name}: an earlier attempt published and then
     * lost its process before the job was marked done. If so, says so in the job's log and reports that version's
     * metrics, and the task has nothing left to do.
     */
    public static boolean alreadyPublished(TaskContext context, ModelKind kind, String name) {
        Optional<ModelManifest> already = publishedBy(context.models(), kind, name, context.jobId());
        already.ifPresent(manifest -> {
            context.log("model " + manifest.ref() + " was already published by this job; nothing to train");
            context.metrics(null, manifest.metrics());
        });
        return already.isPresent();
    }

    /** The version of {@code name} that job {@code jobId} published, if any. */
    public static Optional<ModelManifest> publishedBy(ModelStore store, ModelKind kind, String name, String jobId) {
        return store.list(kind).stream()
                .filter(m -> m.name().equals(name) && jobId.equals(String.valueOf(m.hyperParameters().get(JOB_ID))))
                .findFirst();
    }
}
