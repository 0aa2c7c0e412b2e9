/** The model store: immutable model versions with their manifests, and the promoted pointer. */
package io.recap.core.model;
