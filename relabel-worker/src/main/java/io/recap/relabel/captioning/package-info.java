/** Loading images by reference and captioning them with a requested captioner version. */
package io.recap.relabel.captioning;
