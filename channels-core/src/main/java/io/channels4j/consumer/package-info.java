/**
 * Consumers: one instance per connection, events dispatched by type to handler methods, one at a time.
 * {@link io.channels4j.consumer.AsyncConsumer} is the base; the sync family runs handlers on their own
 * threads.
 *
 * <h2>How this package is built</h2>
 *
 * <ul>
 *   <li>{@link io.channels4j.consumer.AsyncConsumer} owns the event loop of one connection: it pumps the
 *       client's {@code receive} and the consumer's channel on the layer into one inbox, hands events to
 *       handlers one at a time, and on a handler failure logs once, calls {@code onError} and ends.
 *   <li>{@code Handlers} resolves a message type ({@code chat.message}) to its handler method, once per
 *       class.
 *   <li>{@link io.channels4j.consumer.SyncConsumer} only changes where handlers run (their own thread).
 *   <li>{@code WebsocketLifecycle} is the WebSocket lifecycle, written once for both families: join
 *       groups, then {@code connect} (turning {@code AcceptConnection} / {@code DenyConnection} into
 *       accept / close); leave groups, then {@code disconnect}, then stop; on error close 1011 (or, while
 *       the handshake is unanswered, send nothing so the server answers 500), then leave groups; a channel
 *       layer down during the handshake answers 503 (or close 1013) with one WARN line. Its {@code Steps} say how one step follows another: composed stages for
 *       async consumers, waits on the consumer's own thread for sync ones.
 *   <li>{@code WebsocketSupport} builds the WebSocket events (accept, send, close with code checks);
 *       {@code JsonSupport} decodes and encodes JSON frames for both JSON consumers.
 * </ul>
 *
 * <p>The path of a message: the server's {@code receive} (or the layer's {@code receive} on {@link
 * io.channels4j.consumer.AsyncConsumer#channelName()}) completes; the event joins the inbox; when the
 * previous handler's stage is done, {@code dispatch} (overridable; on the handler's thread in the sync
 * family) runs the handler ({@code websocketReceive} →
 * {@code receive(text, bytes)}, or {@code chatMessage(event)} for a layer message); what the handler
 * sends goes straight to the server's {@code send}.
 */
package io.channels4j.consumer;
