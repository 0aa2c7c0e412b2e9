/** Child JVMs of the local run mode: each service from its own executable jar, health-checked, stopped cleanly. */
package io.recap.launcher.process;
