package io.github.aifallback.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.aifallback.chat.circuit.SharedCircuitState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Circuit state shared over the application's Redis. Callers only ever touch the maps of
 * this instance: one thread of its own writes openings and closings, takes probe leases
 * ({@code SET NX PX}) and reads every tracked breaker's record ({@code MGET}) once per
 * refresh interval, or at once when there is something to write. When Redis fails or
 * answers later than the timeout the link is down: probes are decided locally and the
 * last records seen expire by their own open-until; a WARN says so at most once a minute.
 * <p>
 * Redis holds, per breaker, {@code <prefix>circuit:<name>} (the open-until in epoch
 * milliseconds, or {@code closed}; expires one probe lease after the open period) and
 * {@code <prefix>probe:<name>:<open-until>} (the id of the instance that probes that
 * period; expires after one probe lease). With the fleet's retry budget, the same exchange
 * adds each entry's calls and retries to {@code <prefix>budget:<entry>:<window-start-second>:calls}
 * and {@code :retries} (expiring after two windows), see {@link FleetRetryBudget}.
 */
final class RedisFleetCircuitState implements SharedCircuitState, FleetLink, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisFleetCircuitState.class);

	private static final String CLOSED_VALUE = "closed";

	private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final RedisConnectionFactory connections;

	private final String prefix;

	private final long timeoutNanos;

	private final Duration lease;

	private final String instance = UUID.randomUUID().toString();

	private final Set<String> tracked = ConcurrentHashMap.newKeySet();

	/** The fleet's last word per breaker, as last read or written here. */
	private final Map<String, Instant> view = new ConcurrentHashMap<>();

	/** Records not yet written: the value and its time-to-live. */
	private final Map<String, PendingWrite> writes = new ConcurrentHashMap<>();

	private final Map<String, ProbeLease> leases = new ConcurrentHashMap<>();

	private final AtomicBoolean kicked = new AtomicBoolean();

	private final ScheduledExecutorService worker;

	private volatile boolean linkUp = true;

	private long lastWarn = System.nanoTime() - WARN_EVERY_NANOS;

	/** The fleet-wide retry budgets, or {@code null} when each instance keeps its own. */
	private final FleetRetryBudgets retryBudgets;

	RedisFleetCircuitState(RedisConnectionFactory connections, String prefix, Duration timeout, Duration refresh,
			Duration lease) {
		this(connections, prefix, timeout, refresh, lease, false);
	}

	RedisFleetCircuitState(RedisConnectionFactory connections, String prefix, Duration timeout, Duration refresh,
			Duration lease, boolean shareRetryBudgets) {
		this.connections = connections;
		this.prefix = prefix;
		this.timeoutNanos = timeout.toNanos();
		this.lease = lease;
		this.retryBudgets = shareRetryBudgets ? new FleetRetryBudgets(prefix, this::isLinkUp) : null;
		this.worker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ai-fallback-fleet");
			thread.setDaemon(true);
			return thread;
		});
		this.worker.scheduleWithFixedDelay(this::sync, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Whether the last exchange with Redis succeeded in time. */
	boolean isLinkUp() {
		return this.linkUp;
	}

	@Override
	public boolean isUp() {
		return this.linkUp;
	}

	/** The fleet-wide retry budgets, or {@code null} when they are not shared. */
	FleetRetryBudgets retryBudgets() {
		return this.retryBudgets;
	}

	@Override
	public void track(String breaker) {
		this.tracked.add(breaker);
	}

	@Override
	public Instant openUntil(String breaker) {
		return this.view.get(breaker);
	}

	@Override
	public void opened(String breaker, Instant openUntil, Duration openFor) {
		this.view.put(breaker, openUntil);
		this.writes.put(breaker, new PendingWrite(Long.toString(openUntil.toEpochMilli()), openFor.plus(this.lease)));
		kick();
	}

	@Override
	public void closed(String breaker) {
		this.view.put(breaker, CLOSED);
		this.writes.put(breaker, new PendingWrite(CLOSED_VALUE, this.lease));
		kick();
	}

	@Override
	public boolean mayProbe(String breaker, Instant openUntil) {
		if (!this.linkUp) {
			return true;
		}
		long period = openUntil.toEpochMilli();
		long now = System.nanoTime();
		ProbeLease lease = this.leases.get(breaker);
		if (lease == null || lease.period != period || lease.expired(now, this.lease.toNanos())) {
			this.leases.put(breaker, new ProbeLease(period, now));
			kick();
			return false;
		}
		return switch (lease.state) {
			case WON -> true;
			case LOST -> false;
			// Redis did not answer in time: decide as if alone rather than hold the entry out.
			case PENDING -> now - lease.asked > this.timeoutNanos;
		};
	}

	private void kick() {
		if (this.kicked.compareAndSet(false, true)) {
			try {
				this.worker.execute(this::sync);
			}
			catch (RuntimeException shutDown) {
				this.kicked.set(false);
			}
		}
	}

	/** On the worker thread only: write, take leases, read; any failure marks the link down. */
	private void sync() {
		this.kicked.set(false);
		long started = System.nanoTime();
		try (RedisConnection connection = this.connections.getConnection()) {
			for (Map.Entry<String, PendingWrite> write : this.writes.entrySet()) {
				PendingWrite value = write.getValue();
				connection.stringCommands()
					.set(circuitKey(write.getKey()), bytes(value.value), SetCondition.upsert(),
							Expiration.milliseconds(Math.max(1, value.ttl.toMillis())));
				this.writes.remove(write.getKey(), value);
			}
			for (Map.Entry<String, ProbeLease> entry : this.leases.entrySet()) {
				ProbeLease lease = entry.getValue();
				if (lease.state == LeaseState.PENDING) {
					Boolean won = connection.stringCommands()
						.set(bytes(this.prefix + "probe:" + entry.getKey() + ":" + lease.period), bytes(this.instance),
								SetCondition.ifAbsent(), Expiration.from(this.lease));
					lease.decide(Boolean.TRUE.equals(won) ? LeaseState.WON : LeaseState.LOST, System.nanoTime());
				}
			}
			read(connection);
			if (this.retryBudgets != null) {
				this.retryBudgets.exchange((key, delta, ttlMillis) -> increment(connection, key, delta, ttlMillis));
			}
			linkUp(System.nanoTime() - started);
		}
		catch (RuntimeException ex) {
			linkDown(ex.toString());
		}
	}

	private void read(RedisConnection connection) {
		List<String> names = new ArrayList<>(this.tracked);
		if (names.isEmpty()) {
			return;
		}
		List<byte[]> values = connection.stringCommands()
			.mGet(names.stream().map(this::circuitKey).toArray(byte[][]::new));
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			if (this.writes.containsKey(name)) {
				continue;
			}
			Instant word = parse((values != null) ? values.get(i) : null);
			if (word == null) {
				this.view.remove(name);
			}
			else {
				this.view.put(name, word);
			}
		}
	}

	/** {@code INCRBY}, and a time-to-live when the key may just have been created. */
	private static long increment(RedisConnection connection, String key, long delta, long ttlMillis) {
		Long total = connection.stringCommands().incrBy(bytes(key), delta);
		if (total == null) {
			throw new IllegalStateException("INCRBY answered nothing");
		}
		if (total == delta) {
			connection.keyCommands().pExpire(bytes(key), Math.max(1, ttlMillis));
		}
		return total;
	}

	/** A record another instance (or anything else) wrote: what cannot be read is no word. */
	private static Instant parse(byte[] value) {
		if (value == null) {
			return null;
		}
		String text = new String(value, StandardCharsets.UTF_8);
		if (CLOSED_VALUE.equals(text)) {
			return CLOSED;
		}
		try {
			long millis = Long.parseLong(text);
			return (millis > 0) ? Instant.ofEpochMilli(millis) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private void linkUp(long tookNanos) {
		if (tookNanos > this.timeoutNanos) {
			linkDown("Redis answered in " + TimeUnit.NANOSECONDS.toMillis(tookNanos) + " ms");
			return;
		}
		if (!this.linkUp) {
			logger.info("AI fallback: the fleet's Redis link is back; sharing circuit state again");
		}
		this.linkUp = true;
	}

	private void linkDown(String why) {
		this.linkUp = false;
		long now = System.nanoTime();
		if (now - this.lastWarn >= WARN_EVERY_NANOS) {
			this.lastWarn = now;
			logger.warn("AI fallback: the fleet's Redis link is down or slow ({}); each instance goes on with its "
					+ "own circuit state until it is back", why);
		}
	}

	private byte[] circuitKey(String breaker) {
		return bytes(this.prefix + "circuit:" + breaker);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.worker.shutdownNow();
	}

	@Override
	public String toString() {
		return "RedisFleetCircuitState[" + this.prefix + ", link " + (this.linkUp ? "up" : "down") + "]";
	}

	private record PendingWrite(String value, Duration ttl) {
	}

	private enum LeaseState {

		PENDING, WON, LOST

	}

	/** This instance's request for the probe of one open period, and Redis's answer. */
	private static final class ProbeLease {

		final long period;

		final long asked;

		volatile LeaseState state = LeaseState.PENDING;

		volatile long decided;

		ProbeLease(long period, long asked) {
			this.period = period;
			this.asked = asked;
		}

		void decide(LeaseState state, long now) {
			this.decided = now;
			this.state = state;
		}

		/** A lease decided longer ago than it lasts in Redis: its prober may be gone, ask again. */
		boolean expired(long now, long leaseNanos) {
			return this.state != LeaseState.PENDING && now - this.decided > leaseNanos;
		}

	}

}
