package io.github.aifallback.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Markdown out, to the console and to a results file. */
final class Report {

	private final StringBuilder text = new StringBuilder();

	private final PrintStream out;

	Report(PrintStream out) {
		this.out = out;
	}

	void line(String format, Object... args) {
		raw(String.format(Locale.ROOT, format, args));
	}

	private void raw(String line) {
		this.text.append(line).append('\n');
		this.out.println(line);
		this.out.flush();
	}

	void table(String... header) {
		line("");
		row((Object[]) header);
		StringBuilder rule = new StringBuilder("|");
		for (int i = 0; i < header.length; i++) {
			rule.append("---|");
		}
		raw(rule.toString());
	}

	void row(Object... cells) {
		StringBuilder row = new StringBuilder("|");
		for (Object cell : cells) {
			row.append(' ').append(cell).append(" |");
		}
		raw(row.toString());
	}

	static String ms(double nanos) {
		return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
	}

	static String us(double nanos) {
		return String.format(Locale.ROOT, "%.2f", nanos / 1e3);
	}

	static String f(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	void save(Path path) throws IOException {
		Files.createDirectories(path.toAbsolutePath().getParent());
		Files.writeString(path, this.text, StandardCharsets.UTF_8);
	}

}
