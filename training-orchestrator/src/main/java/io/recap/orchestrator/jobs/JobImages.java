package io.recap.orchestrator.jobs;

import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.catalog.ImageNotFoundException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The PNG files a job wrote into its checkpoint directory ({@code checkpoints/{jobId}} in the store): sample grids
 * as training goes ({@code samples-step-*.png}), the final grid and the trainer's loss curve. The console shows
 * them on the job's page as they appear.
 */
public class JobImages {

    /** A file directly in the directory: no path separators, so no way out of it. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+\\.png");

    private final JobRepository jobs;
    private final LocalBlobStore store;

    public JobImages(JobRepository jobs, LocalBlobStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    /** The names of the job's images, sorted. */
    public List<String> list(String jobId) {
        String prefix = prefix(jobId);
        return store.list(prefix).stream().map(key -> key.substring(prefix.length()))
                .filter(name -> NAME.matcher(name).matches()).toList();
    }

    public byte[] get(String jobId, String name) {
        String prefix = prefix(jobId);
        if (!NAME.matcher(name).matches()) {
            throw new ImageNotFoundException("job images are PNG files directly in its directory, not '" + name + "'");
        }
        return store.get(prefix + name).orElseThrow(() -> new ImageNotFoundException("job " + jobId
                + " has written no image '" + name + "'"));
    }

    private String prefix(String jobId) {
        jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        return "checkpoints/" + jobId + "/";
    }
}
