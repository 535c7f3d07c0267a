package io.github.aifallback.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.fleet.FleetInternals;
import io.github.aifallback.chat.fleet.SharedLastGoodStore;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Last good answers in the application's Redis, against a real throw-away redis-server,
 * read back with a plain Redis client: two instances with the same secret share answers;
 * Redis holds the starter's JSON (never a Java-serialised object) under an HMAC of the key,
 * with a TTL set on the Redis side; whatever else a key holds is a miss; and a Redis that
 * is down adds nothing to a healthy call.
 */
class SharedLastGoodRedisTests {

	private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";

	private static final String PROMPT = "Summarise the incident";

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private static LocalRedis redis;

	private static RedisClient plainClient;

	private StatefulRedisConnection<byte[], byte[]> connection;

	private RedisCommands<byte[], byte[]> commands;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = LocalRedis.start();
		plainClient = RedisClient.create("redis://127.0.0.1:" + redis.port());
	}

	@AfterAll
	static void stopRedis() {
		if (plainClient != null) {
			plainClient.shutdown();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void connect() {
		this.connection = plainClient.connect(ByteArrayCodec.INSTANCE);
		this.commands = this.connection.sync();
		this.commands.flushall();
		FingerprintRecorder.fingerprints.clear();
	}

	@AfterEach
	void disconnect() {
		this.connection.close();
	}

	private static ConfigurableApplicationContext instance(String model, String... more) {
		return instance(redis.port(), model, more);
	}

	private static ConfigurableApplicationContext instance(int redisPort, String model, String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.cache.type=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort, "--spring.data.redis.timeout=60s",
				"--spring.ai.openai.base-url=" + baseUrl(provider), "--spring.ai.openai.api-key=test-key",
				"--ai.fallback.cache.use-cache-manager=true", "--ai.fallback.retry.max-attempts=1",
				"--ai.fallback.chain[0].model=" + model, "--ai.fallback.chain[0].name=main"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
	}

	private static String secret(String secret) {
		return "--ai.fallback.cache.key-secret=" + secret;
	}

	/** Writes are asynchronous: wait, bounded, until the answer is in Redis. */
	private List<String> awaitKeys() throws InterruptedException {
		Instant giveUp = Instant.now().plusSeconds(5);
		while (Instant.now().isBefore(giveUp)) {
			List<byte[]> keys = this.commands.keys("*");
			if (!keys.isEmpty()) {
				return keys.stream().map((key) -> new String(key, StandardCharsets.UTF_8)).toList();
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no answer reached Redis within 5 s");
	}

	private static ChatResponse ask(ConfigurableApplicationContext instance) {
		return instance.getBean(ResilientChatClient.class).call(new Prompt(PROMPT));
	}

	@Test
	void whenOneInstanceAnsweredThenAnotherWithTheSameSecretServesThatAnswerMarkedDegraded() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		ChatResponse fresh;
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			fresh = ask(first);
			awaitKeys();
		}

		ChatResponse degraded;
		try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
			degraded = ask(second);
		}

		assertThat(fresh.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("main");
		assertThat(degraded.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("cache");
		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(degraded.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("SERVER_ERROR (HTTP 500)");
		assertThat(degraded.getResult().getOutput().getText()).isEqualTo("All systems recovered at 10:42.");
		assertThat(degraded.getResult().getMetadata().getFinishReason())
			.isEqualTo(fresh.getResult().getMetadata().getFinishReason());
		assertThat(degraded.getMetadata().getId()).isEqualTo("chatcmpl-redis");
		assertThat(degraded.getMetadata().getModel()).isEqualTo("healthy-model");
		assertThat(degraded.getMetadata().getUsage().getPromptTokens()).isEqualTo(21);
		assertThat(degraded.getMetadata().getUsage().getCompletionTokens()).isEqualTo(9);
		assertThat(degraded.getMetadata().getUsage().getTotalTokens()).isEqualTo(30);
		provider.verify(1, requestsFor("healthy-model"));
		provider.verify(1, requestsFor("broken-model"));
	}

	@Test
	void whenAnAnswerIsStoredThenRedisHoldsOurJsonUnderAKeyedHashWithARedisSideTtl() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		try (ConfigurableApplicationContext instance = instance("healthy-model", secret(SECRET),
				"--ai.fallback.cache.ttl=10m")) {
			ask(instance);
			String key = awaitKeys().get(0);
			byte[] raw = this.commands.get(key.getBytes(StandardCharsets.UTF_8));
			long ttl = this.commands.ttl(key.getBytes(StandardCharsets.UTF_8));

			assertThat(key).startsWith("ai-fallback-last-good::").matches("ai-fallback-last-good::[0-9a-f]{64}");
			assertThat(FingerprintRecorder.fingerprints).isNotEmpty()
				.allSatisfy((fingerprint) -> assertThat(key).doesNotContain(fingerprint));
			assertThat(new String(raw, 0, 65, StandardCharsets.UTF_8)).as("a signature, not Java serialisation (0xACED)")
				.matches("[0-9a-f]{64}\\.");
			assertThat(raw[65]).isEqualTo((byte) '{');
			JsonNode json = JsonMapper.builder().build().readTree(java.util.Arrays.copyOfRange(raw, 65, raw.length));
			assertThat(json.path("generations").get(0).path("text").stringValue())
				.isEqualTo("All systems recovered at 10:42.");
			assertThat(json.path("servedBy").stringValue()).isEqualTo("main");
			assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotContain(PROMPT);
			assertThat(ttl).as("TTL set in Redis").isBetween(1L, 600L);
		}
	}

	@Test
	void whenInstancesHaveDifferentSecretsThenTheyShareNothing() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			ask(first);
			awaitKeys();
		}

		try (ConfigurableApplicationContext second = instance("broken-model",
				secret("another-secret-of-at-least-32-bytes!!"))) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> ask(second));
		}
	}

	@Test
	void whenRedisHoldsAJavaSerialisedOrMalformedValueThenItIsAMissWithoutError() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		byte[] key;
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			ask(first);
			key = awaitKeys().get(0).getBytes(StandardCharsets.UTF_8);
		}
		LastGoodAnswer planted = new LastGoodAnswer(
				List.of(new LastGoodAnswer.StoredGeneration("planted answer", "stop")), null, null, null, null, null,
				"main", Instant.now());

		for (byte[] value : List.of(javaSerialised(planted), "{\"v\":1,\"generations\":[".getBytes(StandardCharsets.UTF_8),
				"{\"v\":1,\"generations\":[{\"text\":42}],\"servedBy\":\"x\",\"storedAt\":\"now\"}"
					.getBytes(StandardCharsets.UTF_8))) {
			this.commands.set(key, value);
			try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
				assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> ask(second));
			}
		}
	}

	@Test
	void whenAWriterWithoutTheSecretTampersWithAnAnswerThenItIsDroppedAndCounted() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		byte[] key;
		byte[] genuine;
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			ask(first);
			key = awaitKeys().get(0).getBytes(StandardCharsets.UTF_8);
			genuine = this.commands.get(key);
		}
		String signed = new String(genuine, StandardCharsets.UTF_8);
		String tampered = signed.replace("All systems recovered at 10:42.", "Wire the money to account 42.");
		String unsigned = signed.substring(65);
		String forged = "0".repeat(64) + "." + unsigned.replace("All systems recovered", "Nothing happened");

		for (String value : List.of(tampered, unsigned, forged)) {
			this.commands.set(key, value.getBytes(StandardCharsets.UTF_8));
			try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
				assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> ask(second));
				assertThat(FleetInternals.rejectedValues((SharedLastGoodStore) second.getBean(LastGoodStore.class))).isEqualTo(1);
			}
		}
		this.commands.set(key, genuine);
		try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
			assertThat(ask(second).getResult().getOutput().getText()).isEqualTo("All systems recovered at 10:42.");
		}
	}

	@Test
	void whenAGenuineAnswerIsCopiedUnderAnotherPromptsKeyThenItIsNotServedForThatPrompt() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		byte[] genuine;
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			ask(first);
			genuine = this.commands.get(awaitKeys().get(0).getBytes(StandardCharsets.UTF_8));
			this.commands.flushall();
			first.getBean(ResilientChatClient.class).call(new Prompt("Another question"));
			byte[] other = awaitKeys().get(0).getBytes(StandardCharsets.UTF_8);
			this.commands.set(other, genuine);
		}

		try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
			assertThatExceptionOfType(AllModelsFailedException.class)
				.isThrownBy(() -> second.getBean(ResilientChatClient.class).call(new Prompt("Another question")));
		}
	}

	@Test
	void whenASerialisedGadgetIsPlantedThenTheStarterNeverDeserialisesIt() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		byte[] key;
		try (ConfigurableApplicationContext first = instance("healthy-model", secret(SECRET))) {
			ask(first);
			key = awaitKeys().get(0).getBytes(StandardCharsets.UTF_8);
		}
		this.commands.set(key, javaSerialised(new Gadget()));
		Gadget.ran.set(false);

		try (ConfigurableApplicationContext second = instance("broken-model", secret(SECRET))) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> ask(second));
		}

		assertThat(Gadget.ran).as("the gadget's readObject never ran").isFalse();
	}

	@Test
	void whenTheRedisCacheIsDecoratedThenStartUpRefusesItBeforeAnythingIsRead() throws Exception {
		this.commands.set("ai-fallback-last-good::anything".getBytes(StandardCharsets.UTF_8),
				javaSerialised(new Gadget()));
		Gadget.ran.set(false);

		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> new SpringApplicationBuilder(DecoratedApp.class).web(WebApplicationType.NONE)
				.run("--spring.cache.type=redis", "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port(), "--spring.ai.openai.api-key=test-key",
						"--spring.ai.openai.base-url=" + baseUrl(provider), "--ai.fallback.cache.use-cache-manager=true",
						"--ai.fallback.chain[0].model=broken-model", secret(SECRET)))
			.havingRootCause()
			.isInstanceOf(InvalidFallbackConfigurationException.class)
			.withMessageContaining("ai.fallback.cache.use-cache-manager")
			.withMessageContaining("deserialise");
		assertThat(Gadget.ran).isFalse();
	}

	@Test
	void whenRedisIsDownThenAHealthyCallTakesNoLonger() throws Exception {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closedPort = socket.getLocalPort();
		}
		try (ConfigurableApplicationContext instance = instance(closedPort, "healthy-model", secret(SECRET))) {
			ask(instance);
			for (int i = 0; i < 5; i++) {
				long started = System.nanoTime();
				ChatResponse response = ask(instance);
				long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

				assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("main");
				assertThat(millis).isLessThan(1_000);
			}
		}
	}

	/** Stands for a deserialisation gadget: its readObject runs code. */
	static final class Gadget implements java.io.Serializable {

		static final java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();

		private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
			in.defaultReadObject();
			ran.set(true);
		}

	}

	/** An application whose CacheManager wraps each RedisCache, as metrics or fail-safe libraries do. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class DecoratedApp {

		@Bean
		org.springframework.cache.CacheManager cacheManager(
				org.springframework.data.redis.connection.RedisConnectionFactory connections) {
			org.springframework.data.redis.cache.RedisCacheManager redis = org.springframework.data.redis.cache.RedisCacheManager
				.create(connections);
			return new org.springframework.cache.CacheManager() {

				@Override
				public org.springframework.cache.Cache getCache(String name) {
					org.springframework.cache.Cache cache = redis.getCache(name);
					return (cache != null) ? new Decorator(cache) : null;
				}

				@Override
				public java.util.Collection<String> getCacheNames() {
					return redis.getCacheNames();
				}

			};
		}

	}

	/** Forwards every call: get() runs the RedisCache's own (JDK) deserialiser. */
	record Decorator(org.springframework.cache.Cache target) implements org.springframework.cache.Cache {

		@Override
		public String getName() {
			return this.target.getName();
		}

		@Override
		public Object getNativeCache() {
			return this.target.getNativeCache();
		}

		@Override
		public ValueWrapper get(Object key) {
			return this.target.get(key);
		}

		@Override
		public <T> T get(Object key, Class<T> type) {
			return this.target.get(key, type);
		}

		@Override
		public <T> T get(Object key, java.util.concurrent.Callable<T> valueLoader) {
			return this.target.get(key, valueLoader);
		}

		@Override
		public void put(Object key, Object value) {
			this.target.put(key, value);
		}

		@Override
		public void evict(Object key) {
			this.target.evict(key);
		}

		@Override
		public void clear() {
			this.target.clear();
		}

	}

	private static byte[] javaSerialised(Object value) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		return bytes.toByteArray();
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJsonAnswer() {
		return com.github.tomakehurst.wiremock.client.WireMock.okJson("""
				{"id":"chatcmpl-redis","object":"chat.completion","created":1700000000,"model":"healthy-model",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"All systems recovered at 10:42."},
				 "finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":9,"total_tokens":30}}""");
	}

	/** The default key, recorded so the test can look for it in Redis. */
	static final class FingerprintRecorder {

		static final List<String> fingerprints = new java.util.concurrent.CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class App {

		@Bean
		LastGoodKeyResolver recordingKeyResolver() {
			return (prompt, fingerprint) -> {
				FingerprintRecorder.fingerprints.add(fingerprint);
				return fingerprint;
			};
		}

	}

}
