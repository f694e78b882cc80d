package io.channels4j.consumer;

import io.channels4j.Message;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handler table of one consumer class, built once per class (a {@link ClassValue}) and never
 * consulted reflectively per message.
 *
 * <p>A handler is an instance method taking one {@link Message} and returning {@code void} or a {@link
 * CompletionStage}. Its key is its name in snake case: {@code chatMessage} and {@code chat_message} both
 * have the key {@code chat_message}, which is also the key of the types {@code chat.message} and {@code
 * chat_message}.
 */
final class Handlers {

  private static final Set<String> RESERVED = Set.of("send", "dispatch", "deliver");
  private static final MethodType INVOKE_TYPE = MethodType.methodType(Object.class, Object.class, Message.class);

  private static final ClassValue<Handlers> TABLES =
      new ClassValue<>() {
        @Override
        protected Handlers computeValue(Class<?> type) {
          return new Handlers(type);
        }
      };

  private final Map<String, MethodHandle> byKey = new HashMap<>();
  private final Map<String, MethodHandle> byType = new ConcurrentHashMap<>();

  private Handlers(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (!isHandler(m)) {
          continue;
        }
        String key = key(m.getName());
        if (byKey.containsKey(key)) {
          continue; // a subclass's handler wins
        }
        try {
          m.setAccessible(true);
          byKey.put(key, MethodHandles.lookup().unreflect(m).asType(INVOKE_TYPE));
        } catch (IllegalAccessException | RuntimeException e) {
          throw new IllegalStateException(
              "cannot access handler " + c.getName() + "." + m.getName() + "(Message): " + e.getMessage(), e);
        }
      }
    }
  }

  static Handlers of(Class<?> type) {
    return TABLES.get(type);
  }

  private static boolean isHandler(Method m) {
    return !Modifier.isStatic(m.getModifiers())
        && !m.isBridge()
        && !m.isSynthetic()
        && m.getParameterCount() == 1
        && m.getParameterTypes()[0] == Message.class
        && (m.getReturnType() == void.class || CompletionStage.class.isAssignableFrom(m.getReturnType()))
        && !RESERVED.contains(m.getName());
  }

  /** The handler for {@code type}, or null. */
  MethodHandle find(String type) {
    MethodHandle h = byType.get(type);
    if (h == null) {
      h = byKey.get(key(type));
      if (h != null) {
        byType.put(type, h);
      }
    }
    return h;
  }

  /** {@code chat.message}, {@code chat_message} and {@code chatMessage} all give {@code chat_message}. */
  static String key(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '.') {
        sb.append('_');
      } else if (ch >= 'A' && ch <= 'Z') {
        sb.append('_').append((char) (ch + ('a' - 'A')));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
