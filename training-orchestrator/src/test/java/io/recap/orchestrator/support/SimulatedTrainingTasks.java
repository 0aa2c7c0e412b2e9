package io.recap.orchestrator.support;

import io.recap.core.domain.JobKind;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TrainingTask;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test-only switch: every training-task bean except RELABEL's is wrapped so that a job whose params contain
 * {@code simulate=true} runs {@link SimulatedTrainingTask} instead (fast, model-free, with knobs for transient and
 * permanent failures); any other job runs the real task. Main code has no simulation at all.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SimulatedTrainingTasks {

    public static final String PARAM = "simulate";

    @Bean
    static BeanPostProcessor simulatedTrainingTaskSwitch() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof TrainingTask task && task.kind() != JobKind.RELABEL) {
                    return new Switch(task);
                }
                return bean;
            }
        };
    }

    /** The real task, or the simulated one when the job asks for it. */
    static final class Switch implements TrainingTask {

        private final TrainingTask real;
        private final SimulatedTrainingTask simulated;

        Switch(TrainingTask real) {
            this.real = real;
            this.simulated = new SimulatedTrainingTask(real.kind());
        }

        @Override
        public JobKind kind() {
            return real.kind();
        }

        @Override
        public void run(JobSpec spec, TaskContext context) throws Exception {
            if (Boolean.parseBoolean(context.params().get(PARAM))) {
                simulated.run(spec, context);
            } else {
                real.run(spec, context);
            }
        }
    }
}
