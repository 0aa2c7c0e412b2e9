/** Domain vocabulary shared by every RECAP service: caption styles, models, jobs, image references. */
package io.recap.core.domain;
