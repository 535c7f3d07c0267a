package io.github.aifallback.chat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.lastgood.internal.RequestFingerprint;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.DefaultChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The last-good key covers every option that shapes the answer or says whom it is for:
 * requests that differ in any option but the model never share a degraded answer, and a
 * request whose options have no canonical form is neither stored nor served.
 */
@org.junit.jupiter.api.extension.ExtendWith(CapturedLogs.class)
class LastGoodKeyTests {

	private final RecordingLastGoodStore recording = new RecordingLastGoodStore();

	private final List<String> keysWritten = this.recording.keysWritten;

	private final ConcurrentMapCache cache = this.recording.cache;

	private boolean up = true;

	private ResilientChatClient.Builder client() {
		EntryModel model = (prompt, timeout) -> {
			if (!this.up) {
				throw new IllegalStateException("down");
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("an answer"))));
		};
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("only", "m", model))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.sleeper((duration) -> {
			})
			.lastGoodStore(LastGoodLogicTests.direct(this.recording));
	}

	/** Stores the first request's answer, then, with every entry down, asks the second. */
	private void assertNeverShared(ChatOptions first, ChatOptions second) {
		ResilientChatClient client = client().build();
		client.call(new Prompt("what is my balance?", first));
		this.up = false;

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("what is my balance?", second)));
		assertThat(client.call(new Prompt("what is my balance?", first)).getMetadata()
			.<Boolean>get(FallbackMetadata.DEGRADED)).as("the first request itself is still served").isTrue();
	}

	@Test
	void whenTwoRequestsDifferOnlyInUserThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().user("alice").build(),
				OpenAiChatOptions.builder().user("bob").build());
	}

	@Test
	void whenTwoRequestsDifferOnlyInToolContextThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().toolContext(Map.of("tenant", "acme")).build(),
				OpenAiChatOptions.builder().toolContext(Map.of("tenant", "globex")).build());
	}

	@Test
	void whenTwoRequestsDifferOnlyInMetadataThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().metadata(Map.of("customer", "1")).build(),
				OpenAiChatOptions.builder().metadata(Map.of("customer", "2")).build());
	}

	@Test
	void whenTwoRequestsDifferOnlyInExtraBodyThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().extraBody(Map.of("tenant", List.of("acme", 1))).build(),
				OpenAiChatOptions.builder().extraBody(Map.of("tenant", List.of("acme", 2))).build());
	}

	@Test
	void whenTwoRequestsDifferOnlyInCustomHeadersThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().customHeaders(Map.of("X-Tenant", "acme")).build(),
				OpenAiChatOptions.builder().customHeaders(Map.of("X-Tenant", "globex")).build());
	}

	@Test
	void whenTwoRequestsDifferOnlyInServiceTierThenTheyNeverShareADegradedAnswer() {
		assertNeverShared(OpenAiChatOptions.builder().serviceTier("flex").build(),
				OpenAiChatOptions.builder().serviceTier("priority").build());
	}

	@Test
	void whenAToolContextValueHasNoCanonicalFormThenNothingIsStoredNorServed() {
		ResilientChatClient client = client().build();
		OpenAiChatOptions options = OpenAiChatOptions.builder().toolContext(Map.of("session", new Object())).build();
		assertThat(client.call(new Prompt("q", options)).getResult().getOutput().getText()).isEqualTo("an answer");
		this.up = false;

		assertThat(this.keysWritten).isEmpty();
		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("q", options)));
	}

	/** An application's own options: its tenant shapes the answer, and no getter shows it. */
	static class TenantOptions extends DefaultChatOptions {

		private final String tenant;

		TenantOptions(String tenant) {
			super(null, null, null, null, null, null, null, null);
			this.tenant = tenant;
		}

		String tenant() {
			return this.tenant;
		}

	}

	@Test
	void whenCustomOptionsHoldStateNoGetterShowsThenNothingIsStoredNorServedAndALogLineSaysWhyOnce(
			CapturedLogs logs) {
		ResilientChatClient client = client().build();
		client.call(new Prompt("q", new TenantOptions("acme")));
		client.call(new Prompt("q", new TenantOptions("acme")));
		this.up = false;

		assertThat(this.keysWritten).isEmpty();
		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("q", new TenantOptions("globex"))));
		assertThat(logs.toString()).containsOnlyOnce("neither store nor serve last good answers")
			.contains(TenantOptions.class.getName())
			.contains("field 'tenant'")
			.doesNotContain("acme");
	}

	/** The same, with a getter: the tenant is in the key. */
	static class VisibleTenantOptions extends DefaultChatOptions {

		private final String tenant;

		VisibleTenantOptions(String tenant) {
			super(null, null, null, null, null, null, null, null);
			this.tenant = tenant;
		}

		public String getTenant() {
			return this.tenant;
		}

	}

	@Test
	void whenCustomOptionsShowTheirStateThroughGettersThenTheyAreKeyedByIt() {
		assertNeverShared(new VisibleTenantOptions("acme"), new VisibleTenantOptions("globex"));
	}

	@Test
	void whenAnExtraBodyValueIsCyclicThenNothingIsStoredAndTheCallSucceeds() {
		Map<String, Object> cyclic = new HashMap<>();
		cyclic.put("self", cyclic);

		client().build().call(new Prompt("q", OpenAiChatOptions.builder().extraBody(cyclic).build()));

		assertThat(this.keysWritten).isEmpty();
	}

	@Test
	void whenOptionsDifferOnlyInModelThenTheyShareTheDegradedAnswer() {
		ResilientChatClient client = client().build();
		client.call(new Prompt("q", OpenAiChatOptions.builder().model("a").user("alice").build()));
		this.up = false;

		ChatResponse degraded = client.call(new Prompt("q", OpenAiChatOptions.builder().model("b").user("alice").build()));

		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
	}

	@Test
	void whenTheKeyResolverThrowsThenTheCallSucceedsAndNothingIsStored() {
		ResilientChatClient client = client().keyResolver((prompt, fingerprint) -> {
			throw new IllegalStateException("no tenant");
		}).build();

		assertThat(client.call("q")).isEqualTo("an answer");
		assertThat(this.keysWritten).isEmpty();
	}

	@Test
	void whenMapKeysComeInAnotherOrderThenTheFingerprintIsTheSame() {
		Map<String, String> ab = new LinkedHashMap<>();
		ab.put("a", "1");
		ab.put("b", "2");
		Map<String, String> ba = new LinkedHashMap<>();
		ba.put("b", "2");
		ba.put("a", "1");

		assertThat(fingerprint(OpenAiChatOptions.builder().metadata(ab).build()))
			.isEqualTo(fingerprint(OpenAiChatOptions.builder().metadata(ba).build()));
	}

	@Test
	void whenAbsentOrEmptyOptionsThenTheFingerprintIsTheSame() {
		assertThat(fingerprint(null)).isEqualTo(fingerprint(OpenAiChatOptions.builder().build()));
	}

	@Test
	void whenToolCallbacksHaveTheSameDefinitionThenTheyCountAlikeAndOtherwiseNot() {
		String one = fingerprint(OpenAiChatOptions.builder().toolCallbacks(tool("weather", "Weather now")).build());
		String same = fingerprint(OpenAiChatOptions.builder().toolCallbacks(tool("weather", "Weather now")).build());
		String other = fingerprint(OpenAiChatOptions.builder().toolCallbacks(tool("weather", "Forecast")).build());

		assertThat(one).isEqualTo(same).isNotEqualTo(other);
	}

	@Test
	void whenAnOptionsTypeHasAPropertyOfItsOwnThenItIsPartOfTheKey() {
		assertThat(fingerprint(new RegionOptions("eu"))).isNotEqualTo(fingerprint(new RegionOptions("us")));
	}

	@Test
	void whenMediaBytesDifferThenTheFingerprintDiffers() {
		byte[] image = new byte[1024 * 1024];
		byte[] other = image.clone();
		other[other.length - 1] = 1;

		assertThat(fingerprintOf(withImage(image))).isEqualTo(fingerprintOf(withImage(image.clone())))
			.isNotEqualTo(fingerprintOf(withImage(other)));
	}

	private static Prompt withImage(byte[] bytes) {
		return new Prompt(UserMessage.builder()
			.text("what is this?")
			.media(new Media(MimeTypeUtils.IMAGE_PNG, new org.springframework.core.io.ByteArrayResource(bytes)))
			.build());
	}

	private static String fingerprint(ChatOptions options) {
		return fingerprintOf(new Prompt("q", options));
	}

	private static String fingerprintOf(Prompt prompt) {
		return RequestFingerprint.of(prompt);
	}

	private static ToolCallback tool(String name, String description) {
		ToolDefinition definition = ToolDefinition.builder()
			.name(name)
			.description(description)
			.inputSchema("{\"type\":\"object\"}")
			.build();
		return new ToolCallback() {

			@Override
			public ToolDefinition getToolDefinition() {
				return definition;
			}

			@Override
			public String call(String toolInput) {
				return "sunny";
			}

		};
	}

	/** An options type of an application's own, with a property no list names. */
	static final class RegionOptions extends DefaultChatOptions {

		private final String region;

		RegionOptions(String region) {
			super(null, null, null, null, null, null, null, null);
			this.region = region;
		}

		public String getRegion() {
			return this.region;
		}

	}

	@Test
	void whenAnOperatorAsksForARequestsKeyThenItIsTheOneTheAnswerIsStoredUnder() {
		ResilientChatClient client = client().keyResolver((prompt, fingerprint) -> "tenant-a:" + fingerprint).build();
		Prompt prompt = new Prompt("what is my balance?", OpenAiChatOptions.builder().user("alice").build());

		String key = client.lastGoodKey(prompt);
		client.call(prompt);

		assertThat(key).startsWith("tenant-a:").isEqualTo("tenant-a:" + RequestFingerprint.of(prompt));
		assertThat(this.keysWritten).containsExactly(key);
		assertThat(client.lastGoodKey(new Prompt("what is my balance?",
				OpenAiChatOptions.builder().user("bob").build()))).isNotEqualTo(key);
	}

	@Test
	void whenAClientKeepsNoLastGoodAnswersThenARequestHasNoKey() {
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("only", "m", (prompt, timeout) -> new ChatResponse(List.of())))
			.build();

		assertThat(client.lastGoodKey(new Prompt("what is my balance?"))).isNull();
	}

}
