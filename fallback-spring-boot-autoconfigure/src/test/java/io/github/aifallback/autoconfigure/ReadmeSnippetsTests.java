package io.github.aifallback.autoconfigure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.OpenAiStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's snippets cannot drift from the code: every YAML and properties block binds to
 * the starter's properties with no key left unbound, every Java block compiles against the
 * starter, and the Quick start (its YAML and its Java) starts in an application and answers a
 * call. A block the test cannot take as it is says so in an HTML comment on the line before
 * it: {@code <!-- snippet: method; given: <declarations> -->} for members of a configuration
 * class (the declarations make it compile), {@code <!-- snippet: skip (why) -->} to leave it
 * out.
 */
class ReadmeSnippetsTests {

	private static final Pattern BLOCK = Pattern.compile(
			"(?:<!-- snippet: (?<marker>[^\\n]*?) -->\\n)?```(?<lang>yaml|java|properties)\\n(?<body>.*?)\\n```",
			Pattern.DOTALL);

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@TempDir
	Path classes;

	@Test
	void whenTheReadmesConfigurationBlocksAreBoundThenEveryKeyUnderAiFallbackBindsToAProperty() throws IOException {
		List<Snippet> blocks = snippets("yaml", "properties");
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
		for (Snippet block : blocks) {
			Map<String, Object> properties = properties(block);
			Map<String, Object> fallback = new LinkedHashMap<>();
			properties.forEach((key, value) -> {
				if (key.startsWith("ai.fallback")) {
					fallback.put(key, value);
				}
			});
			if (fallback.isEmpty()) {
				continue;
			}
			Binder binder = new Binder(new MapConfigurationPropertySource(fallback));
			assertThat(binder
				.bind("ai.fallback", Bindable.of(FallbackProperties.class),
						new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
				.isBound()).as("README line %d", block.line()).isTrue();
		}
	}

	@Test
	void whenTheReadmesJavaBlocksAreCompiledAgainstTheStarterThenEachCompiles() throws IOException {
		List<Snippet> blocks = snippets("java");
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
		for (Snippet block : blocks) {
			compile(block);
		}
	}

	@Test
	void whenTheQuickStartIsStartedAsWrittenThenItsServiceAnswersThroughTheChain() throws Exception {
		Snippet yaml = quickStart("yaml");
		Snippet java = quickStart("java");
		Class<?> service = compile(java);
		provider.stubFor(completion("gpt-4o-mini").willReturn(answer("gpt-4o-mini", "Hello from the chain")));
		List<String> settings = new ArrayList<>();
		properties(yaml).forEach((key, value) -> settings.add(key + "=" + value));
		// The same settings, but every URL is the local provider's.
		settings.add("spring.ai.openai.base-url=" + OpenAiStubs.baseUrl(provider));
		settings.add("ai.fallback.providers.bridge.base-url=" + OpenAiStubs.baseUrl(provider));

		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withPropertyValues(settings.toArray(String[]::new))
			.withClassLoader(service.getClassLoader())
			.withBean(service)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Object bot = context.getBean(service);
				var answer = service.getDeclaredMethod("answer", String.class);
				answer.setAccessible(true);
				assertThat(answer.invoke(bot, "Hi")).isEqualTo("Hello from the chain");
			});
		provider.verify(1, requestsFor("gpt-4o-mini"));
	}

	private static Map<String, Object> properties(Snippet block) throws IOException {
		// A placeholder's variable is the reader's to set: any value binds.
		String text = block.body().replaceAll("\\$\\{[^}]*}", "placeholder-value");
		Map<String, Object> properties = new LinkedHashMap<>();
		if (block.lang().equals("properties")) {
			Properties loaded = new Properties();
			loaded.load(new StringReader(text));
			loaded.forEach((key, value) -> properties.put((String) key, value));
			return properties;
		}
		for (PropertySource<?> source : new YamlPropertySourceLoader().load("README line " + block.line(),
				new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)))) {
			for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
				properties.put(name, String.valueOf(source.getProperty(name)));
			}
		}
		return properties;
	}

	private Class<?> compile(Snippet block) throws IOException {
		// Each snippet in a package of its own, under its own class name.
		String pkg = "readme.line" + block.line();
		String name = "ReadmeSnippet";
		String given = "";
		String body = block.body();
		String marker = (block.marker() != null) ? block.marker() : "";
		if (marker.startsWith("method")) {
			int at = marker.indexOf("given:");
			given = (at >= 0) ? marker.substring(at + "given:".length()).trim() : "";
			body = "@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)\nclass " + name
					+ " {\n" + body + "\n}";
		}
		else {
			Matcher declared = Pattern.compile("class (\\w+)").matcher(body);
			assertThat(declared.find()).as("README line %d declares a class", block.line()).isTrue();
			name = declared.group(1);
		}
		String source = "package " + pkg + ";\n" + IMPORTS + body + "\n" + given + "\n";
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		List<String> errors = new ArrayList<>();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
			JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + pkg.replace('.', '/') + "/" + name + ".java"),
					JavaFileObject.Kind.SOURCE) {

				@Override
				public CharSequence getCharContent(boolean ignoreEncodingErrors) {
					return source;
				}

			};
			boolean compiled = compiler
				.getTask(null, files, (diagnostic) -> errors.add(diagnostic.toString()),
						List.of("-classpath", classpath(), "-d", this.classes.toString(), "-proc:none"), null,
						List.of(file))
				.call();
			assertThat(compiled).as("README line %d compiles: %s\n%s", block.line(), errors, source).isTrue();
		}
		java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] { this.classes.toUri().toURL() },
				getClass().getClassLoader());
		try {
			return loader.loadClass(pkg + "." + name);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What a reader's IDE adds without asking: the starter's, Spring AI's and Spring's own types. */
	private static final String IMPORTS = """
			import io.github.aifallback.chat.*;
			import io.github.aifallback.chat.lastgood.*;
			import org.springframework.ai.chat.model.ChatResponse;
			import org.springframework.ai.chat.prompt.Prompt;
			import org.springframework.context.annotation.Bean;
			import org.springframework.stereotype.Service;
			""";

	private static String classpath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private static Snippet quickStart(String lang) throws IOException {
		String readme = readme();
		int from = readme.indexOf("## Quick start");
		int to = readme.indexOf("\n## ", from + 1);
		return snippetsOf(readme.substring(0, to), lang).stream()
			.filter((snippet) -> snippet.offset() > from)
			.findFirst()
			.orElseThrow();
	}

	private static List<Snippet> snippets(String... langs) throws IOException {
		return snippetsOf(readme(), langs);
	}

	private static List<Snippet> snippetsOf(String readme, String... langs) {
		List<Snippet> snippets = new ArrayList<>();
		Matcher block = BLOCK.matcher(readme);
		while (block.find()) {
			String marker = block.group("marker");
			if (marker != null && marker.startsWith("skip")) {
				assertThat(marker).as("a skipped snippet says why").matches("skip \\(.+\\)");
				continue;
			}
			if (List.of(langs).contains(block.group("lang"))) {
				int line = readme.substring(0, block.start("body")).split("\n", -1).length;
				snippets.add(new Snippet(block.group("lang"), block.group("body"), marker, line, block.start()));
			}
		}
		return snippets;
	}

	private static String readme() throws IOException {
		return Files.readString(Path.of("..", "README.md")).replace("\r\n", "\n");
	}

	private record Snippet(String lang, String body, String marker, int line, int offset) {
	}

}
