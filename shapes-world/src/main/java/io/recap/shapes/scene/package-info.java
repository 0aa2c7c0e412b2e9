/**
 * The ShapesWorld scene model: shapes, colours, sizes and grid cells, scenes built from them,
 * and the seeded generator that produces scene {@code i} of corpus seed {@code s} on its own.
 */
package io.recap.shapes.scene;
