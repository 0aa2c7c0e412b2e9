import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.config.KubernetesExecutorProperties;
import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.kubernetes.KubernetesJobFactory;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the orchestrator's real property records from the real jar's application*.yml plus the k8s overlay files. */
public class RenderTrainerJob {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({KubernetesExecutorProperties.class, SchedulingProperties.class})
    static class Cfg {
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(Cfg.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        var ctx = app.run("--logging.level.root=warn");
        KubernetesExecutorProperties k = ctx.getBean(KubernetesExecutorProperties.class);
        SchedulingProperties s = ctx.getBean(SchedulingProperties.class);
        System.err.println("profiles=" + String.join(",", ctx.getEnvironment().getActiveProfiles()));
        System.err.println("scheduling=" + s);
        System.err.println("pool(T2I_FINETUNE)=" + s.poolFor(JobKind.T2I_FINETUNE) + " executor=" + s.executorFor(s.poolFor(JobKind.T2I_FINETUNE))
                + "; pool(RELABEL)=" + s.poolFor(JobKind.RELABEL) + " executor=" + s.executorFor(s.poolFor(JobKind.RELABEL)));
        System.err.println("kubernetes=" + k);
        System.err.println("datasource.url=" + ctx.getEnvironment().getProperty("spring.datasource.url")
                + " topic-partitions=" + ctx.getEnvironment().getProperty("recap.orchestrator.topic-partitions")
                + " store=" + ctx.getEnvironment().getProperty("recap.orchestrator.store")
                + " roots=" + ctx.getEnvironment().getProperty("recap.orchestrator.ingest.allowed-roots")
                + " kafka=" + ctx.getEnvironment().getProperty("spring.kafka.bootstrap-servers"));
        var spec = new T2iFinetuneSpec("shapes-10k", ModelRef.captioner("shapes", "v1"), CaptionMix.RECAP_MIX, "smoke",
                null);
        Job job = new KubernetesJobFactory(k, k.namespace()).build(new ExecutionRequest("j-0001", 2, spec,
                Map.of("steps", "100"), "snapshots/s-1", "checkpoints/j-0001", 40L, "checkpoints/j-0001/step-40"));
        System.out.println(new KubernetesSerialization().asYaml(job));
        ctx.close();
    }
}
