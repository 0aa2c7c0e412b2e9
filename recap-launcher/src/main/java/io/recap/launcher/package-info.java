/** The README's one command: the RECAP loop on one machine with embedded defaults. */
package io.recap.launcher;
