/**
 * Channel layers: the {@link io.channels4j.layers.ChannelLayer} API, its name rules, the registry by
 * alias, and the in-memory layer.
 *
 * <h2>How the in-memory layer is built</h2>
 *
 * <p>{@link io.channels4j.layers.InMemoryChannelLayer} is the public face: options (builder, {@code
 * create()}, injected clock), name checks, the closed state, and the table of channels by name. It hands
 * the work to three package-private units:
 *
 * <ul>
 *   <li>{@code ChannelQueue} — one channel: its messages with their expiry times (the first inline, the
 *       rest in a ring), its waiting receivers, its group memberships, and the rule that an idle channel
 *       is forgotten. Guarded by its own lock.
 *   <li>{@code PendingReceive} — a {@code receive} waiting on an empty channel: a future that withdraws
 *       itself from its queue before it is cancelled or completed from outside, so no message is lost.
 *   <li>{@code GroupTable} — the groups: members by channel name, an array snapshot per group for fast
 *       sends, group expiry, and the group-send loop. Lock order: group, then channel.
 * </ul>
 *
 * <p>The path of a message: {@code send(channel, m)} finds the {@code ChannelQueue} (made if missing) and,
 * under its lock, drops expired messages, then either takes the oldest {@code PendingReceive} or queues
 * {@code m} (or fails with {@link io.channels4j.layers.ChannelFullException}); the receive future is
 * completed after the lock is released, on the sending thread. {@code groupSend(group, m)} asks the
 * {@code GroupTable} for the group's snapshot and does the same for each member's queue, skipping full
 * ones, removing lapsed memberships. {@code receive(channel)} polls the queue or leaves a {@code
 * PendingReceive} in it. Messages are immutable and shared by reference, never copied.
 */
package io.channels4j.layers;
