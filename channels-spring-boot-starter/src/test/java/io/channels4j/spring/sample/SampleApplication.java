package io.channels4j.spring.sample;

import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.URLRouter;
import io.channels4j.spring.ConsumerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample: a chat server whose routing is an {@link Application} bean and whose consumer is a Spring bean.
 * The starter serves it on the Channels4J Undertow server ({@code channels.server.*}) with the layer from
 * {@code channels.layers.default.*}.
 */
@SpringBootApplication
public class SampleApplication {

  /** The routing (Channels' {@code asgi.py}): WebSockets at {@code /ws/chat/<room>/}. */
  @Bean
  Application channelsApplication(ConsumerFactory consumers) {
    return ProtocolTypeRouter.builder()
        .websocket(URLRouter.of(path("ws/chat/<str:room_name>/", consumers.of(ChatConsumer.class))))
        .build();
  }

  /** Runs the sample. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
