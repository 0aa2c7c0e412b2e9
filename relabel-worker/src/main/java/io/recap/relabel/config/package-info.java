/** Configuration of the relabel worker. */
package io.recap.relabel.config;
