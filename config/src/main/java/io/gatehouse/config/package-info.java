/**
 * Gatehouse configuration: YAML to checked records, with every mistake reported as
 * {@code file:line:col: key.path: message}.
 *
 * <p>Start at {@link io.gatehouse.config.ConfigLoader} to load a file. A protocol's or runtime's own options (a
 * listener's or app's {@link io.gatehouse.config.OptionKeys}) are bound to its own record, and its further checks
 * reported, through a {@link io.gatehouse.config.ConfigScope}; the YAML node tree stays inside this package.
 */
package io.gatehouse.config;
