package io.kubermi.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one {@link Engines} (constructor, {@code @BeforeAll} or test parameter),
 * closed when the class ends: {@code @ExtendWith(EnginesExtension.class)}.
 */
public final class EnginesExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(EnginesExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == Engines.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    ExtensionContext classContext = c;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NS)
        .getOrComputeIfAbsent("engines", k -> new Closing(new Engines()), Closing.class)
        .engines;
  }

  /** JUnit closes AutoCloseable store values when their context ends. */
  private record Closing(Engines engines) implements AutoCloseable {
    @Override
    public void close() {
      engines.close();
    }
  }
}
