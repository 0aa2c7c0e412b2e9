/**
 * EVALUATE as a training task: measures a published captioner or text-to-image version on freshly generated,
 * seeded ShapesWorld scenes and stores the metrics with the version.
 */
package io.recap.orchestrator.evaluation;
