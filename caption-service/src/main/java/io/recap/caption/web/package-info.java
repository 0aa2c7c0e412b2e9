/** REST API of the caption service and its problem+json error mapping. */
package io.recap.caption.web;
