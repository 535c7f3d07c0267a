package io.github.aifallback.chat;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * The action taken for each {@link FailureKind}: the kinds' defaults, with overrides.
 * Immutable.
 *
 * @since 0.1.0
 */
public final class FallbackPolicy {

	private static final FallbackPolicy DEFAULTS = new FallbackPolicy(new EnumMap<>(FailureKind.class));

	private final Map<FailureKind, FailureAction> actions;

	private FallbackPolicy(EnumMap<FailureKind, FailureAction> overrides) {
		EnumMap<FailureKind, FailureAction> all = new EnumMap<>(FailureKind.class);
		for (FailureKind kind : FailureKind.values()) {
			all.put(kind, overrides.getOrDefault(kind, kind.defaultAction()));
		}
		this.actions = Collections.unmodifiableMap(all);
	}

	/**
	 * The policy of DESIGN.md: transient kinds retry then fall back, the others fall back.
	 * @return the default policy
	 */
	public static FallbackPolicy defaults() {
		return DEFAULTS;
	}

	/**
	 * A policy with the given overrides on top of the defaults.
	 * @param overrides action per kind; kinds not named keep their default
	 * @return the policy
	 */
	public static FallbackPolicy of(Map<FailureKind, FailureAction> overrides) {
		return overrides.isEmpty() ? DEFAULTS : new FallbackPolicy(new EnumMap<>(overrides));
	}

	/**
	 * A copy of this policy with one kind's action replaced.
	 * @param kind the kind
	 * @param action its action
	 * @return the new policy
	 */
	public FallbackPolicy with(FailureKind kind, FailureAction action) {
		EnumMap<FailureKind, FailureAction> copy = new EnumMap<>(this.actions);
		copy.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(action, "action"));
		return new FallbackPolicy(copy);
	}

	/**
	 * The action for a kind.
	 * @param kind the kind
	 * @return its action
	 */
	public FailureAction actionFor(FailureKind kind) {
		return this.actions.get(kind);
	}

	@Override
	public String toString() {
		return "FallbackPolicy" + this.actions;
	}

}
