/** The loaded captioner and the dynamic batcher that feeds it. */
package io.recap.caption.inference;
