/** Executors: where job attempts run ({@code local} in-process, {@code kubernetes} as batch/v1 Jobs). */
package io.recap.orchestrator.executor;
