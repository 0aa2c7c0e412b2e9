package io.recap.orchestrator.web;

import io.recap.orchestrator.jobs.JobImages;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.jobs.JobService;
import io.recap.orchestrator.jobs.JobView;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /jobs}: submit, list (by state and kind), read (progress, metrics, attempts, log tail), its loss curve and images, cancel. */
@RestController
@RequestMapping("/jobs")
public class JobController {

    private final JobService jobs;
    private final JobImages images;

    public JobController(JobService jobs, JobImages images) {
        this.jobs = jobs;
        this.images = images;
    }

    @PostMapping
    public ResponseEntity<JobView> submit(@RequestBody JobRequest request) {
        JobView job = jobs.submit(request.spec(), request.priority(), request.pool(), request.params());
        return ResponseEntity.created(URI.create("/jobs/" + job.jobId())).body(job);
    }

    @GetMapping
    public List<JobView> list(@RequestParam(required = false) String state,
            @RequestParam(required = false) String kind, @RequestParam(defaultValue = "100") int limit) {
        return jobs.list(state, kind, limit);
    }

    @GetMapping("/{jobId}")
    public JobView get(@PathVariable String jobId) {
        return jobs.get(jobId);
    }

    /** The losses the job reported with its progress, {@code [{step, loss}]} in step order: its loss curve. */
    @GetMapping("/{jobId}/losses")
    public List<JobRepository.LossPoint> losses(@PathVariable String jobId) {
        return jobs.losses(jobId);
    }

    /** The PNG files the job wrote (sample grids, the final grid, the trainer's loss curve), sorted by name. */
    @GetMapping("/{jobId}/images")
    public List<String> images(@PathVariable String jobId) {
        return images.list(jobId);
    }

    @GetMapping(value = "/{jobId}/images/{name}", produces = MediaType.IMAGE_PNG_VALUE)
    public byte[] image(@PathVariable String jobId, @PathVariable String name) {
        return images.get(jobId, name);
    }

    @PostMapping("/{jobId}/cancel")
    public JobView cancel(@PathVariable String jobId) {
        return jobs.cancel(jobId);
    }
}
