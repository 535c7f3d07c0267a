package io.github.aifallback.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundary users see, checked where every published module is on the classpath: code outside
 * the engine (the auto-configuration, the actuator parts, the test kit, this sample, the
 * benchmarks) imports none of the engine's {@code internal} packages, and no two packages of the
 * product depend on each other. The engine checks its own packages in {@code PackageRulesTests}.
 */
class ApiBoundaryTests {

	private static final JavaClasses PRODUCT = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.aifallback");

	private static final Pattern INTERNAL_IMPORT = Pattern
		.compile("^import\\s+(static\\s+)?io\\.github\\.aifallback\\.[\\w.]*\\binternal\\b", Pattern.MULTILINE);

	@Test
	void whenCodeOutsideTheEngineIsBuiltThenItUsesNoneOfTheEnginesInternals() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.aifallback.chat..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.aifallback..internal..")
			.check(PRODUCT);
	}

	@Test
	void whenTheProductIsBuiltThenNoTwoOfItsPackagesDependOnEachOther() {
		slices().matching("io.github.aifallback.(**)").should().beFreeOfCycles().check(PRODUCT);
	}

	@Test
	void whenTheBenchmarksAreWrittenThenTheyUseNoneOfTheEnginesInternals() throws IOException {
		// The benchmarks module is built only with its profile, so its classes are not on this
		// classpath: its sources are read instead.
		Path sources = Path.of("..", "benchmarks", "src", "main", "java");
		assertThat(sources).isDirectory();
		List<Path> offenders;
		try (Stream<Path> files = Files.walk(sources)) {
			offenders = files.filter((file) -> file.toString().endsWith(".java"))
				.filter((file) -> INTERNAL_IMPORT.matcher(read(file)).find())
				.toList();
		}
		assertThat(offenders).as("benchmarks importing an internal package").isEmpty();
	}

	@Test
	void whenTheProductIsScannedThenItsEveryModuleIsSeen() {
		// A rule over classes that are not there proves nothing: each module must be imported.
		assertThat(PRODUCT.stream().map((type) -> type.getPackageName()))
			.anyMatch((name) -> name.startsWith("io.github.aifallback.chat"))
			.anyMatch((name) -> name.startsWith("io.github.aifallback.autoconfigure"))
			.anyMatch((name) -> name.startsWith("io.github.aifallback.actuate"))
			.anyMatch((name) -> name.startsWith("io.github.aifallback.test"))
			.anyMatch((name) -> name.startsWith("io.github.aifallback.sample"));
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file, ex);
		}
	}

}
