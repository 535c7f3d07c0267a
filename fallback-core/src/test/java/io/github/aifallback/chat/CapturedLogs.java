package io.github.aifallback.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line a test produces, exceptions included, as the console would show
 * it: the engine's tests need no Spring Boot for it (its {@code OutputCaptureExtension}).
 * Use with {@code @ExtendWith(CapturedLogs.class)} and a {@link CapturedLogs} parameter.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(CapturedLogs.class);

	private final List<String> lines;

	public CapturedLogs() {
		this(new CopyOnWriteArrayList<>());
	}

	private CapturedLogs(List<String> lines) {
		this.lines = lines;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
		PatternLayout layout = new PatternLayout();
		layout.setContext(loggers);
		layout.setPattern("%level %logger - %msg%n%ex");
		layout.start();
		List<String> lines = new CopyOnWriteArrayList<>();
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				lines.add(layout.doLayout(event));
			}
		};
		appender.setContext(loggers);
		appender.start();
		loggers.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
		context.getStore(NAMESPACE).put("appender", appender);
		context.getStore(NAMESPACE).put("logs", new CapturedLogs(lines));
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterEach(ExtensionContext context) {
		AppenderBase<ILoggingEvent> appender = context.getStore(NAMESPACE).remove("appender", AppenderBase.class);
		LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
		loggers.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
		appender.stop();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == CapturedLogs.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return context.getStore(NAMESPACE).get("logs", CapturedLogs.class);
	}

	/** Everything logged so far, one event after the other. */
	@Override
	public String toString() {
		return this.lines.stream().collect(Collectors.joining());
	}

}
