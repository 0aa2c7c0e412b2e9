/** REST calls to the platform, each written to a curl transcript of the run. */
package io.recap.launcher.http;
