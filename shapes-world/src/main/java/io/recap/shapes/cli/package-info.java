/** The {@code shapes-world} command line: generate corpora, parse images, show scenes, match prompts. */
package io.recap.shapes.cli;
