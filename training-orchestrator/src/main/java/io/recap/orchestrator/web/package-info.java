/** REST API of the orchestrator ({@code /corpora}, {@code /jobs}, {@code /models}) and its problem+json mapping. */
package io.recap.orchestrator.web;
