/** Configuration of the caption service. */
package io.recap.caption.config;
