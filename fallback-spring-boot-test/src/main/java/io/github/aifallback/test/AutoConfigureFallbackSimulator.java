package io.github.aifallback.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a {@code @SpringBootTest} class: start a {@link FallbackSimulator} before the context,
 * point every HTTP entry of {@code ai.fallback.chain} at it (each at its own path, with a
 * simulated key), and make the chain run on a {@link FallbackTestClock}. Both are beans, and
 * test methods can take them as parameters. Before each test, {@link FallbackSimulatorExtension}
 * clears the scripts, the recorded requests and waits, and closes every circuit.
 * <p>
 * Entries with {@code chat-model} are left alone; entries with {@code deployments} fail the
 * context with a message.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FallbackSimulatorExtension.class)
public @interface AutoConfigureFallbackSimulator {

}
