package io.github.aifallback.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No public API says it arrived in a release later than the one being built: a
 * {@code @since 0.1.0} in a 0.1.0 release tells users it is not there yet.
 */
class SinceTagsTests {

	private static final Pattern SINCE = Pattern.compile("@since (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

	private static final Pattern VERSION = Pattern.compile("<version>(\\d+)\\.(\\d+)\\.(\\d+)[^<]*</version>");

	@Test
	void whenSourcesSayWhenTheyArrivedThenNoneIsLaterThanTheProjectsVersion() throws IOException {
		Path root = Path.of("..");
		long project = projectVersion(root);
		List<String> later = new ArrayList<>();
		for (String module : new String[] { "fallback-core", "fallback-spring-boot-autoconfigure" }) {
			try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
					Matcher since = SINCE.matcher(Files.readString(file));
					while (since.find()) {
						if (version(since.group(1), since.group(2), since.group(3)) > project) {
							later.add(file.getFileName() + ": " + since.group());
						}
					}
				}
			}
		}
		assertThat(later).isEmpty();
	}

	private static long projectVersion(Path root) throws IOException {
		String pom = Files.readString(root.resolve("pom.xml"));
		// The parent's own version follows the Spring Boot parent's: the second <version>.
		Matcher version = VERSION.matcher(pom.substring(pom.indexOf("</parent>")));
		assertThat(version.find()).isTrue();
		return version(version.group(1), version.group(2), version.group(3));
	}

	private static long version(String major, String minor, String patch) {
		return Long.parseLong(major) * 1_000_000 + Long.parseLong(minor) * 1_000
				+ ((patch != null) ? Long.parseLong(patch) : 0);
	}

}
