package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * DDIM sampling (Song et al., 2021) with eta 0 and classifier-free guidance (Ho and Salimans,
 * 2022). Each step turns the model output into a clean-image estimate (clipped to the image
 * range) and the noise it implies, then moves to the next, less noisy step along that line.
 *
 * <p>Guidance runs the conditional and unconditional passes as ONE batch of 2B rows: rows 0..B-1
 * carry the prompts, rows B..2B-1 the empty prompt, and the output is {@code u + w (c - u)}.
 * With w = 1 that is the conditional output, so the sampler then skips the unconditional half.
 */
final class DdimSampler {

    private final TextToImageBlock block;
    private final NoiseSchedule schedule;
    private final Prediction prediction;

    DdimSampler(TextToImageBlock block, NoiseSchedule schedule, Prediction prediction) {
        this.block = block;
        this.schedule = schedule;
        this.prediction = prediction;
    }

    /**
     * Denoises {@code noise} (B, 3, S, S) for prompt ids (B, L); {@code emptyIds} (B, L) are the
     * unconditional prompt's ids. Returns images in [-1, 1], attached to the noise's manager.
     *
     * @throws SamplingCancelledException when the calling thread is interrupted: checked before every step, so a
     *     caller's deadline frees the model within one step
     */
    NDArray sample(ParameterStore parameters, NDArray noise, NDArray promptIds, NDArray emptyIds, int steps,
            float guidance) {
        boolean guided = guidance != 1f;
        NDList text = block.encodeText(parameters, guided ? promptIds.concat(emptyIds, 0) : promptIds, false);
        int[] timesteps = schedule.samplingSteps(steps);
        NDArray x = noise;
        for (int i = 0; i < timesteps.length; i++) {
            if (Thread.currentThread().isInterrupted()) {
                if (x != noise) {
                    x.close();
                }
                throw new SamplingCancelledException(i, timesteps.length);
            }
            int t = timesteps[i];
            int next = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            NDArray previous = x;
            try (NDScope scope = new NDScope()) {
                NDArray output = guidedOutput(parameters, x, t, text, guided ? guidance : 1f);
                x = step(x, output, t, next);
                scope.suppressNotUsedWarning();
                NDScope.unregister(x);
            }
            if (previous != noise) {
                previous.close();
            }
        }
        return x;
    }

    /**
     * The (guided) model output for x (B, 3, S, S) at step t. {@code text} holds B rows (no
     * guidance) or 2B rows, prompts first and the empty prompt second, in which case the
     * images are duplicated into one 2B batch and combined as {@code u + w (c - u)}.
     */
    NDArray guidedOutput(ParameterStore parameters, NDArray x, int t, NDList text, float guidance) {
        long batch = x.getShape().get(0);
        long rows = text.get(0).getShape().get(0);
        if (rows == batch) {
            return block.denoise(parameters, x, x.getManager().full(new Shape(batch), (float) t), text, false);
        }
        NDArray doubled = x.concat(x, 0);
        NDArray output = block.denoise(parameters, doubled, x.getManager().full(new Shape(rows), (float) t), text,
                false);
        NDArray conditional = output.get("0:{}", batch);
        NDArray unconditional = output.get("{}:", batch);
        return unconditional.add(conditional.sub(unconditional).mul(guidance));
    }

    /** One DDIM (eta 0) step from t to {@code next} (-1: to the clean image). */
    NDArray step(NDArray x, NDArray output, int t, int next) {
        return step(schedule, prediction, x, output, t, next, true);
    }

    /**
     * One DDIM (eta 0) step of any schedule and prediction; {@code clip} keeps the clean estimate in [-1, 1], right
     * for pixels, wrong for a latent space whose range is not bounded.
     */
    static NDArray step(NoiseSchedule schedule, Prediction prediction, NDArray x, NDArray output, int t, int next,
            boolean clip) {
        float a = schedule.signal(t);
        float s = schedule.noise(t);
        NDArray estimate = prediction.cleanImage(x, output, a, s);
        NDArray clean = clip ? estimate.clip(-1f, 1f) : estimate;
        if (next < 0) {
            return clean;
        }
        // The noise consistent with the clipped estimate keeps the trajectory on the data range.
        NDArray noise = x.sub(clean.mul(a)).div(s);
        return clean.mul(schedule.signal(next)).add(noise.mul(schedule.noise(next)));
    }
}
