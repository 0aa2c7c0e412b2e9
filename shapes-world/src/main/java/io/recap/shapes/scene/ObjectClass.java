package io.recap.shapes.scene;

/** Shape and colour with the number of such objects regardless of size: what counting is about. */
public record ObjectClass(Shape shape, Colour colour, int count) {}
