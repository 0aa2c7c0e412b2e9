package io.recap.orchestrator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.recap.orchestrator.executor.kubernetes.KubernetesExecutor;
import io.recap.orchestrator.jobs.JobLifecycle;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes executor, when {@code recap.executor.kubernetes.enabled=true}. The client reads the usual
 * sources (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "recap.executor.kubernetes.enabled", havingValue = "true")
class KubernetesConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KubernetesExecutor kubernetesExecutor(KubernetesClient client, KubernetesExecutorProperties properties,
            JobLifecycle lifecycle) {
        return new KubernetesExecutor(client, properties, lifecycle);
    }
}
