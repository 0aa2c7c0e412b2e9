/**
 * The oracle: reads any image of the 3x3 ShapesWorld layout (rendered, degraded or generated)
 * back into a {@link io.recap.shapes.scene.Scene}, with per-cell confidences and an explicit
 * "unparseable" verdict for cells that hold a smear rather than a shape.
 */
package io.recap.shapes.oracle;
