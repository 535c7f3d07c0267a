package io.github.aifallback.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * {@code @SpringBootTest} with {@link AutoConfigureFallbackSimulator}: the application's
 * context, its chain pointed at a scriptable simulator, on a test clock.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@AutoConfigureFallbackSimulator
public @interface FallbackTest {

	/**
	 * Properties of the test's context, as {@link SpringBootTest#properties()}.
	 * @return the properties, {@code key=value} each
	 */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

	/**
	 * The classes of the test's context, as {@link SpringBootTest#classes()}.
	 * @return the classes
	 */
	@AliasFor(annotation = SpringBootTest.class, attribute = "classes")
	Class<?>[] classes() default {};

}
