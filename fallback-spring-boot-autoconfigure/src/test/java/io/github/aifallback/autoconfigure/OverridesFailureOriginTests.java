package io.github.aifallback.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A real application started from a YAML file: the start-up report names the file and line
 * the offending value came from, and never the value (a key).
 */
@ExtendWith(OutputCaptureExtension.class)
class OverridesFailureOriginTests {

	@Test
	void whenAnOverrideInAYamlFileIsInvalidThenTheReportNamesTheFileAndLineButNotTheSecret(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException()
			.isThrownBy(() -> application.run("--spring.config.location=classpath:overrides-test.yml"));
		// The missing URL has no origin: the report points at the key set without it.
		assertThat(output).contains("Property: ai.fallback.entries.primary.base-url")
			.contains("Origin:   class path resource [overrides-test.yml] - 12:18 (of ai.fallback.entries.primary.api-key)")
			.doesNotContain("canary-yaml-secret-4b7e2d");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(FallbackAutoConfiguration.class)
	static class Application {

	}

}
