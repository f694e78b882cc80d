package io.channels4j.undertow;

import io.channels4j.Application;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Supplier;

/**
 * Finds the application {@link Main} serves, as Daphne imports {@code module:attribute}: a class
 * implementing {@link Application} or {@code Supplier<Application>} (public no-arg constructor), or a
 * static field or static no-arg method, written {@code com.example.Routing::application} (Daphne's {@code
 * com.example.Routing:application} is read the same), holding or returning either. Each failure is an
 * {@link IllegalArgumentException} saying what was wrong.
 */
final class ApplicationLoader {

  private ApplicationLoader() {}

  static Application load(String spec, ClassLoader loader) {
    String s = spec.trim();
    int sep = s.indexOf("::");
    int width = 2;
    if (sep < 0) {
      sep = s.indexOf(':');
      width = 1;
    }
    if (s.isEmpty() || sep == 0 || (sep > 0 && s.length() == sep + width)) {
      throw new IllegalArgumentException("the application must be a class name or Class::member, got '" + spec + "'");
    }
    if (sep < 0) {
      Class<?> type = find(s, loader);
      if (!Application.class.isAssignableFrom(type) && !Supplier.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException("class " + s + " implements neither " + Application.class.getName()
            + " nor " + Supplier.class.getName() + "<Application>");
      }
      return unwrap(s, construct(type));
    }
    String className = s.substring(0, sep);
    String member = s.substring(sep + width);
    Class<?> type = find(className, loader);
    String where = className + "::" + member;
    Object value = member(type, member, where);
    return unwrap(where, value);
  }

  private static Class<?> find(String name, ClassLoader loader) {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new IllegalArgumentException("class " + name + " not found on the class path", e);
    } catch (ExceptionInInitializerError e) {
      throw new IllegalArgumentException("class " + name + " failed to initialise: " + e.getCause(), e.getCause());
    }
  }

  private static Object construct(Class<?> type) {
    try {
      Constructor<?> c = type.getConstructor();
      return c.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("class " + type.getName() + " has no public no-arg constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("new " + type.getName() + "() failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot create " + type.getName() + ": " + e, e);
    }
  }

  private static Object member(Class<?> type, String name, String where) {
    try {
      Field f = type.getField(name);
      if (Modifier.isStatic(f.getModifiers())) {
        return f.get(null);
      }
    } catch (NoSuchFieldException e) {
      // perhaps a method
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot read " + where + ": " + e.getMessage(), e);
    }
    try {
      Method m = type.getMethod(name);
      if (Modifier.isStatic(m.getModifiers())) {
        return m.invoke(null);
      }
    } catch (NoSuchMethodException e) {
      // reported below
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(where + "() failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call " + where + "(): " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(where + " is neither a public static field nor a public static no-arg method");
  }

  /** The application {@code value} is, or supplies. */
  private static Application unwrap(String where, Object value) {
    if (value instanceof Supplier<?> supplier && !(value instanceof Application)) {
      try {
        value = supplier.get();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + " (a Supplier) failed: " + e, e);
      }
      where = where + " (a Supplier)";
    }
    if (value == null) {
      throw new IllegalArgumentException(where + " returned null, not an Application");
    }
    if (value instanceof Application app) {
      return app;
    }
    throw new IllegalArgumentException(where + " is a " + value.getClass().getName() + ", not an "
        + Application.class.getName() + " or Supplier<Application>");
  }
}
