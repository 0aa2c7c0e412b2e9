/**
 * Captioner quality against ShapesWorld's ground truth: captions of held-out scenes are parsed
 * back into scenes and scored per attribute (precision and recall of shape, colour, size,
 * position and count), hallucinated objects, whether a caption names every object, and length;
 * rows for alt-text and each captioner/style make one table and the metrics of a manifest.
 */
package io.recap.shapesml.captioner.eval;
