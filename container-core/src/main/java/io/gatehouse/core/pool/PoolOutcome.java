package io.gatehouse.core.pool;

/**
 * How a pool's start or replacement of its workers ended.
 *
 * @param ok     true when the workers asked for are ready
 * @param detail what happened, for logs and for the answer to {@code gatehouse reload}
 */
public record PoolOutcome(boolean ok, String detail) {
}
