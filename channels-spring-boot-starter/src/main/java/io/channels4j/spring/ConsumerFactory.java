package io.channels4j.spring;

import io.channels4j.consumer.AsyncConsumer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Makes consumers Spring beans: a new consumer bean per connection, with its dependencies injected. The
 * consumer class must be a prototype-scoped bean, since Channels runs one consumer instance per connection.
 *
 * <pre>{@code
 * @Component
 * @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
 * class ChatConsumer extends AsyncJsonWebsocketConsumer {
 *   ChatConsumer(Greeter greeter) { ... }
 * }
 *
 * @Bean
 * Application channelsApplication(ConsumerFactory consumers) {
 *   return ProtocolTypeRouter.builder()
 *       .websocket(URLRouter.of(path("ws/chat/<str:room_name>/", consumers.of(ChatConsumer.class))))
 *       .build();
 * }
 * }</pre>
 */
public final class ConsumerFactory {

  private final ListableBeanFactory beans;

  ConsumerFactory(ListableBeanFactory beans) {
    this.beans = beans;
  }

  /**
   * A supplier of new {@code type} beans, one per call, for {@code Routes.path(pattern, supplier)} or {@code
   * AsyncConsumer.asApplication(supplier)}.
   *
   * @param <T> the consumer type
   * @param type the consumer class, a prototype-scoped bean
   * @return a supplier of a new consumer bean per call
   * @throws IllegalStateException if there is no bean of {@code type}, or it is not prototype-scoped
   */
  public <T extends AsyncConsumer> Supplier<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    String[] names = beans.getBeanNamesForType(type);
    if (names.length == 0) {
      throw new IllegalStateException("no bean of consumer type " + type.getName()
          + ": declare it a bean with @Scope(\"prototype\"), e.g. @Component @Scope(\"prototype\")");
    }
    if (names.length > 1) {
      throw new IllegalStateException("several beans of consumer type " + type.getName() + ": "
          + Arrays.toString(names) + "; route each by its own class");
    }
    if (!beans.isPrototype(names[0])) {
      throw new IllegalStateException("consumer bean '" + names[0] + "' (" + type.getName()
          + ") must be prototype-scoped: Channels runs one consumer instance per connection");
    }
    ObjectProvider<T> provider = beans.getBeanProvider(type);
    return provider::getObject;
  }
}
