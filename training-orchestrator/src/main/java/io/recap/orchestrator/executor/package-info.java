/**
 * Executors: where job attempts run ({@code local} in-process, {@code process} as child JVMs, {@code kubernetes} as
 * batch/v1 Jobs).
 */
package io.recap.orchestrator.executor;
