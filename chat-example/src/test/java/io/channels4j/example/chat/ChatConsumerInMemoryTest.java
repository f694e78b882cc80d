package io.channels4j.example.chat;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.InMemoryChannelLayer;

/** The chat consumer on the in-memory layer. */
class ChatConsumerInMemoryTest extends ChatConsumerTests {

  @Override
  protected ChannelLayer createLayer() {
    return InMemoryChannelLayer.create();
  }
}
