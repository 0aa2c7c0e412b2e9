package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.runtime.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * The DDIM update with a perfect denoiser (one that knows the clean image) lands exactly on
 * that image from pure noise, at 1000 steps and at 10, for both parameterisations; and the
 * training targets convert back to the clean image.
 */
class DdimSamplerTest {

    private final NoiseSchedule schedule = new NoiseSchedule(1000);

    @Test
    void perfectDenoiserIsFollowedToTheCleanImage() {
        DjlRuntime.start();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray clean = manager.randomUniform(-0.9f, 0.9f, new Shape(2, 3, 8, 8));
            NDArray start = manager.randomNormal(clean.getShape());
            for (Prediction prediction : Prediction.values()) {
                DdimSampler sampler = new DdimSampler(null, schedule, prediction);
                for (int steps : new int[] {1000, 10}) {
                    int[] timesteps = schedule.samplingSteps(steps);
                    NDArray x = start;
                    for (int i = 0; i < timesteps.length; i++) {
                        int t = timesteps[i];
                        NDArray a = manager.full(new Shape(1), schedule.signal(t));
                        NDArray s = manager.full(new Shape(1), schedule.noise(t));
                        // What a perfect model would output at x: the noise x implies, or its v.
                        NDArray noise = x.sub(clean.mul(a)).div(s);
                        NDArray output = prediction.target(clean, noise, a, s);
                        x = sampler.step(x, output, t, i + 1 < timesteps.length ? timesteps[i + 1] : -1);
                    }
                    assertThat(x.sub(clean).abs().max().getFloat()).as("%s, %d steps", prediction, steps)
                            .isLessThan(1e-3f);
                }
            }
        }
    }

    @Test
    void cleanImageEstimateInvertsTheTrainingTarget() {
        DjlRuntime.start();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray clean = manager.randomUniform(-1f, 1f, new Shape(4, 3, 4, 4));
            NDArray noise = manager.randomNormal(clean.getShape());
            for (int t : new int[] {5, 500, 990}) {
                float a = schedule.signal(t);
                float s = schedule.noise(t);
                NDArray noisy = clean.mul(a).add(noise.mul(s));
                for (Prediction prediction : Prediction.values()) {
                    NDArray target = prediction.target(clean, noise, manager.full(new Shape(1), a),
                            manager.full(new Shape(1), s));
                    // Epsilon amplifies float error by s / a at high noise; v does not.
                    float tolerance = prediction == Prediction.V ? 1e-4f : 1e-5f * (1 + s / a);
                    assertThat(prediction.cleanImage(noisy, target, a, s).sub(clean).abs().max().getFloat())
                            .as("%s at t=%d", prediction, t).isLessThan(tolerance * 10);
                }
            }
        }
    }
}
