/** Jobs: specs per kind, the job store, lifecycle decisions and the training-event consumer. */
package io.recap.orchestrator.jobs;
