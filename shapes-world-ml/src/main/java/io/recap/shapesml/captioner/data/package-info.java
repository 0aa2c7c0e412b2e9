/**
 * ShapesWorld as captioner training data: the corpus vocabulary (every caption kind, so
 * fine-tuning has its words), the pretraining source (terse captions of many train-split scenes
 * under a third style token, the PaLI analogue) and the RECAP fine-tuning source (the 100-image
 * human split only, each batch half SHORT and half LONG, many re-rendered copies).
 */
package io.recap.shapesml.captioner.data;
