package io.github.aifallback.autoconfigure;

import io.github.aifallback.actuate.dashboard.DashboardRuntimeHints;
import org.junit.jupiter.api.Test;

import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's runtime hints, for a native image: registered in
 * {@code META-INF/spring/aot.factories}, they cover the dashboard's files and JSON, and the
 * options the last-good key reads by reflection.
 */
class FallbackRuntimeHintsTests {

	private final RuntimeHints hints = registered();

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, FallbackRuntimeHintsTests.class.getClassLoader()));
		return hints;
	}

	@Test
	void whenTheHintsAreLoadedFromAotFactoriesThenBothRegistrarsAreThere() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(FallbackRuntimeHints.class)
			.hasAtLeastOneElementOfType(DashboardRuntimeHints.class);
	}

	@Test
	void whenTheDashboardIsServedFromANativeImageThenItsFilesAreResources() {
		for (String file : new String[] { "dashboard.html", "dashboard.css", "dashboard.js" }) {
			assertThat(RuntimeHintsPredicates.resource().forResource("io/github/aifallback/actuate/dashboard/" + file))
				.as(file)
				.accepts(this.hints);
		}
	}

	@Test
	void whenTheDashboardWritesItsJsonThenJacksonMayReadEveryRecordsAccessors() throws Exception {
		for (String record : new String[] { "State", "Status", "Calls", "Entry", "Minute", "RecentCall",
				"RecentFailure", "CircuitChange" }) {
			Class<?> type = Class.forName("io.github.aifallback.actuate.dashboard.DashboardView$" + record);
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(record).accepts(this.hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type.getRecordComponents()[0].getAccessor()))
				.as(record)
				.accepts(this.hints);
		}
	}

	@Test
	void whenTheLastGoodKeyReadsOptionsThenTheirGettersAndFactoriesMayBeInvoked() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OpenAiChatOptions.class, "getTemperature"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OpenAiChatOptions.class.getMethod("builder")))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AnthropicChatOptions.class, "getMaxTokens"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(org.springframework.ai.chat.prompt.DefaultChatOptions.class))
			.accepts(this.hints);
	}

}
