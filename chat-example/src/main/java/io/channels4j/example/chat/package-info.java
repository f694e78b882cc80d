/**
 * The Django Channels tutorial's chat as a runnable application: pages, the chat consumer, and a command line
 * ({@link io.channels4j.example.chat.ChatServerMain}) choosing the in-memory or the Redis layer.
 */
package io.channels4j.example.chat;
