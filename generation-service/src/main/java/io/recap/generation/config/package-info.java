/** Configuration of the generation service. */
package io.recap.generation.config;
