/**
 * Gatehouse configuration: YAML to checked records, with every mistake reported as
 * {@code file:line:col: key.path: message}.
 *
 * <p>Start at {@link io.gatehouse.config.ConfigLoader} to load a file, and at {@link io.gatehouse.config.Binder}
 * to bind a protocol's or runtime's own options (a listener's or app's {@code @Rest} mapping) to its own record.
 */
package io.gatehouse.config;
