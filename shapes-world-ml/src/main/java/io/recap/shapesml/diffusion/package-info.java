/**
 * ShapesWorld for the text-to-image model: scenes rendered in memory as training examples and
 * held-out evaluation prompts ({@link io.recap.shapesml.diffusion.ShapesWorldData}), and the
 * prompt-success evaluation that reads sampled images back with the ShapesWorld oracle and
 * matcher ({@link io.recap.shapesml.diffusion.PromptEvaluation}).
 */
package io.recap.shapesml.diffusion;
