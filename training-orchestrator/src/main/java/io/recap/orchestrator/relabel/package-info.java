/**
 * RECAP step 2 on the orchestrator's side: {@link io.recap.orchestrator.relabel.RelabelTask} sends a corpus's
 * uncaptioned images to the relabel workers over {@code recap.relabel.requests} and follows completion in the
 * catalog.
 */
package io.recap.orchestrator.relabel;
