package io.github.aifallback.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import io.github.aifallback.chat.failure.StreamEndedEarlyException;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's package rules (STYLE.md, habits 1, 2 and 13): no cycle between any two packages;
 * the failure vocabulary depends on no other part of the engine; internals used only inside it;
 * no Spring Boot anywhere; the
 * engine knows no vendor; its concept packages (circuit, event, lastgood, observation) know no adapter and
 * none of the chain's per-call internals; only the chain's package uses the last-good
 * internals; each adapter knows its own vendor only; the OkHttp pieces the adapters share
 * know no adapter and no vendor SDK.
 */
class PackageRulesTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.aifallback");

	private static final String[] ADAPTERS = { "io.github.aifallback.chat.openai..",
			"io.github.aifallback.chat.anthropic..", "io.github.aifallback.chat.model.." };

	/** The engine's packages by concept, around the chain's own package. */
	private static final String[] CONCEPTS = { "io.github.aifallback.chat.circuit..",
			"io.github.aifallback.chat.event..", "io.github.aifallback.chat.lastgood..",
			"io.github.aifallback.chat.observation..", "io.github.aifallback.chat.internal.support..",
			"io.github.aifallback.chat.deployment..", "io.github.aifallback.chat.fleet.." };

	@Test
	void whenAPackageIsAddedThenItSaysWhatItIsFor() throws IOException {
		// STYLE.md, habit 11: a package-info.java in every package.
		Path sources = Path.of("src", "main", "java");
		try (Stream<Path> dirs = Files.walk(sources)) {
			assertThat(dirs.filter(Files::isDirectory)
				.filter(PackageRulesTests::holdsClasses)
				.filter((dir) -> !Files.exists(dir.resolve("package-info.java")))
				.map(sources::relativize)
				.toList()).as("packages without a package-info.java").isEmpty();
		}
	}

	private static boolean holdsClasses(Path dir) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.anyMatch((file) -> file.toString().endsWith(".java"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void whenTheEngineIsBuiltThenNothingInItDependsOnSpringBoot() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(CLASSES);
	}

	@Test
	void whenTheEngineIsBuiltThenNoTwoOfItsPackagesDependOnEachOther() {
		// Every package is its own slice (not one per top-level concept): a cycle between a
		// concept and its sub-package counts too.
		slices().matching("io.github.aifallback.(**)").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void whenTheVocabularyIsBuiltThenItDependsOnNoOtherPartOfTheEngine() {
		// What fails and how (failure) and what an entry is (entry) are what every other package
		// speaks; they know only each other's words, the events an entry publishes, and the
		// internal plumbing.
		noClasses().that()
			.resideInAnyPackage("io.github.aifallback.chat.failure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.aifallback.chat", "io.github.aifallback.chat.circuit..",
					"io.github.aifallback.chat.event..", "io.github.aifallback.chat.lastgood..",
					"io.github.aifallback.chat.observation..", "io.github.aifallback.chat.deployment..",
					"io.github.aifallback.chat.entry..")
			.check(CLASSES);
	}

	@Test
	void whenTheEngineIsBuiltThenItsInternalsAreUsedOnlyInsideIt() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.aifallback.chat..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.aifallback..internal..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void whenTheChainIsBuiltThenItLeavesTheAdaptersHelpersToTheAdapters() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.aifallback.chat.internal.support..")
			.check(CLASSES);
	}

	@Test
	void whenTheEngineIsBuiltThenItDependsOnNoAdapterNorVendorLibrary() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(ADAPTERS, "io.github.aifallback.chat.internal.okhttp..", "com.openai..",
					"com.anthropic..", "okhttp3..",
					"org.springframework.ai.openai..", "org.springframework.ai.anthropic..",
					"org.springframework.ai.ollama.."))
			.check(CLASSES);
	}

	@Test
	void whenTheConceptPackagesAreBuiltThenTheyDependOnNoAdapterNorVendorLibrary() {
		noClasses().that()
			.resideInAnyPackage(CONCEPTS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(ADAPTERS, "io.github.aifallback.chat.internal.okhttp..", "com.openai..",
					"com.anthropic..", "okhttp3..", "org.springframework.ai.openai..",
					"org.springframework.ai.anthropic..", "org.springframework.ai.ollama.."))
			.check(CLASSES);
	}

	@Test
	void whenTheConceptPackagesAreBuiltThenTheyUseNoneOfTheChainsPerCallInternals() {
		noClasses().that()
			.resideInAnyPackage(CONCEPTS)
			.should()
			.dependOnClassesThat(belongToAnyOf(ChainRuntime.class, ResolvedEntry.class, CallContext.class,
					ChainCall.class, StreamCall.class, RetryDecision.class, SpringRetryRunner.class,
					FailedAttempt.class, Classification.class, Fatal.class, StreamProgress.class,
					StreamEndedEarlyException.class, LastGoodAnswers.class))
			.check(CLASSES);
	}

	@Test
	void whenTheEngineIsBuiltThenOnlyTheChainUsesTheLastGoodInternals() {
		noClasses().that()
			.resideOutsideOfPackages("io.github.aifallback.chat", "io.github.aifallback.chat.lastgood.internal..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.aifallback.chat.lastgood.internal..")
			.check(CLASSES);
	}

	@Test
	void whenTheOpenAiAdapterIsBuiltThenItUsesNoOtherAdapter() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat.openai..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.aifallback.chat.anthropic..", "io.github.aifallback.chat.model..",
					"com.anthropic..", "org.springframework.ai.anthropic..")
			.check(CLASSES);
	}

	@Test
	void whenTheAnthropicAdapterIsBuiltThenItUsesNoOtherAdapter() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat.anthropic..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.aifallback.chat.openai..", "io.github.aifallback.chat.model..",
					"com.openai..", "org.springframework.ai.openai..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void whenTheChatModelAdapterIsBuiltThenItUsesNoVendorAdapter() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat.model..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.aifallback.chat.openai..", "io.github.aifallback.chat.anthropic..",
					"com.openai..", "com.anthropic..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void whenTheSharedOkHttpPiecesAreBuiltThenTheyUseNoAdapterNorVendorSdk() {
		noClasses().that()
			.resideInAPackage("io.github.aifallback.chat.internal.okhttp..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(ADAPTERS, "com.openai..", "com.anthropic..", "org.springframework.ai.."))
			.check(CLASSES);
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
