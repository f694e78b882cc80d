package io.channels4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Gives one test of a {@link ChannelsLiveServer} class another kind of layer than the class's. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UseLayer {

  /** {@return the kind of layer this test gets} */
  ChannelsLiveServer.Layer value();
}
