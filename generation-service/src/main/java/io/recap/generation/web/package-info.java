/** REST API of the generation service and its problem+json error mapping. */
package io.recap.generation.web;
