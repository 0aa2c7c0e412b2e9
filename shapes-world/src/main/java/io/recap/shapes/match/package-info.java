/**
 * The matcher, the GenEval analogue: scores an image against the prompt it was generated from,
 * per category (object, count, colour, colour binding, size, position), and aggregates scores
 * over many images.
 */
package io.recap.shapes.match;
