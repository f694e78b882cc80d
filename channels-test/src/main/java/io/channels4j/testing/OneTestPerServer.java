package io.channels4j.testing;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * Lets the tests of one {@link ChannelsLiveServer} class run one at a time (they share its server, whose
 * layer is swapped per test) while different classes run in parallel: each class's tests lock a resource
 * named after the class.
 */
final class OneTestPerServer implements ResourceLocksProvider {

  @Override
  public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
    Class<?> outer = enclosingInstanceTypes.isEmpty() ? testClass : enclosingInstanceTypes.get(0);
    return Set.of(new Lock("io.channels4j.testing.live-server:" + outer.getName()));
  }
}
