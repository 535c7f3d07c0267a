package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.aifallback.chat.RetryBudget;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Circuit state shared over the application's Redis. Callers only ever touch the maps of
 * this instance: one thread of its own runs an exchange with Redis once per refresh
 * interval, or at once when there is something to write, and gives every exchange at most
 * {@code fleet.timeout}: past that it is cancelled (Lettuce's waits are interruptible) and
 * the link is down, whatever the client's own command timeout. While the link is down,
 * probes are decided locally and the last records seen expire by their own time-to-live; a
 * WARN says so at most once a minute.
 * <p>
 * Redis holds signed {@link FleetRecords} and no instant of any clock. Per breaker:
 * {@code <prefix>circuit:<name>} (an opening, whose key lives for the open period plus one
 * probe lease, or a closing, which lives for one probe lease),
 * {@code <prefix>retry-after:<name>} (a provider's Retry-After, which lives as long as it)
 * and {@code <prefix>probe:<name>:<word-id>} (the instance that probes that opening). With
 * the fleet's retry budget, the same exchange adds each entry's calls and retries to
 * {@code <prefix>budget:<entry>:<window-start-second>:calls} and {@code :retries}, see
 * {@link FleetRetryBudget}.
 */
public final class RedisFleetCircuitState implements SharedCircuitState, FleetLink, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisFleetCircuitState.class);

	private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final long CONNECT_NANOS = TimeUnit.SECONDS.toNanos(2);

	/** A record Redis keeps without a time-to-live (someone removed it) holds at most this long here. */
	private static final long NO_TTL_MILLIS = TimeUnit.DAYS.toMillis(1);

	private final RedisConnectionFactory connections;

	private final String prefix;

	private final long timeoutNanos;

	private final long refreshNanos;

	private final Duration lease;

	/** How long a probe lease won but not used yet lasts in Redis: then another instance may take it. */
	private final Duration unusedLease;

	private final FleetRecords records;

	private final SharedRejections rejections;

	private final String instance = UUID.randomUUID().toString();

	private final Set<String> tracked = ConcurrentHashMap.newKeySet();

	/** The fleet's last word per breaker, as last read or written here. */
	private final Map<String, Seen> circuits = new ConcurrentHashMap<>();

	/** The fleet's Retry-After per breaker, as last read or written here. */
	private final Map<String, Seen> retryAfters = new ConcurrentHashMap<>();

	/** Records not yet written, by Redis key. */
	private final Map<String, PendingWrite> writes = new ConcurrentHashMap<>();

	private final Map<String, ProbeLease> leases = new ConcurrentHashMap<>();

	/** When a caller last asked about each breaker: only instances with traffic take a probe lease ahead. */
	private final Map<String, Long> asked = new ConcurrentHashMap<>();

	private final AtomicBoolean kicked = new AtomicBoolean();

	private final ScheduledExecutorService scheduler;

	private final ExecutorService exchanges;

	/** Down until the first exchange succeeds: nothing was shared before it. */
	private volatile boolean linkUp;

	/** Whether an exchange ever succeeded: until then, connecting may take longer than one exchange. */
	private volatile boolean connected;

	private long lastWarn = System.nanoTime() - WARN_EVERY_NANOS;

	/** The fleet-wide retry budgets, or {@code null} when each instance keeps its own. */
	private final FleetRetryBudgets retryBudgets;

	/**
	 * Start exchanging with Redis, on the state's own daemon threads, at once.
	 * @param connections the application's Redis
	 * @param prefix the start of every key, per application
	 * @param timeout how long one exchange with Redis may take before the link counts as down
	 * @param refresh how often the state is exchanged
	 * @param lease how long a record holds without being renewed
	 * @param shareRetryBudgets whether each entry's retry budget is the fleet's too
	 * @param secret signs and verifies every record
	 * @since 0.1.0
	 */
	public RedisFleetCircuitState(RedisConnectionFactory connections, String prefix, Duration timeout, Duration refresh,
			Duration lease, boolean shareRetryBudgets, KeyHmac secret) {
		this.connections = connections;
		this.prefix = prefix;
		this.timeoutNanos = timeout.toNanos();
		this.refreshNanos = refresh.toNanos();
		this.lease = lease;
		Duration unused = refresh.multipliedBy(2).plus(timeout);
		this.unusedLease = (unused.compareTo(lease) < 0) ? unused : lease;
		this.records = new FleetRecords(secret);
		this.rejections = new SharedRejections("the fleet's Redis (" + prefix + "*)");
		this.retryBudgets = shareRetryBudgets ? new FleetRetryBudgets(prefix, this::isLinkUp) : null;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "ai-fallback-fleet"));
		this.exchanges = Executors.newSingleThreadExecutor((task) -> daemon(task, "ai-fallback-fleet-exchange"));
		this.scheduler.scheduleWithFixedDelay(this::tick, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	/** Whether the last exchange with Redis succeeded in time. */
	boolean isLinkUp() {
		return this.linkUp;
	}

	@Override
	public boolean isUp() {
		return this.linkUp;
	}

	/**
	 * The fleet-wide retry budgets, or {@code null} when they are not shared.
	 * @return the factory of each entry's budget, or {@code null}
	 * @since 0.1.0
	 */
	public RetryBudget.Factory retryBudgets() {
		return this.retryBudgets;
	}

	/** How many records read from Redis failed verification and were dropped. */
	long rejectedRecords() {
		return this.rejections.count();
	}

	@Override
	public void track(String breaker) {
		this.tracked.add(breaker);
	}

	@Override
	public Word word(String breaker) {
		Seen seen = this.circuits.get(breaker);
		long now = System.nanoTime();
		this.asked.put(breaker, now);
		if (seen == null || now - seen.goneAt >= 0) {
			return null;
		}
		return FleetRecords.OPEN.equals(seen.kind) ? Word.opened(seen.id, Duration.ofNanos(seen.holdsUntil - now))
				: Word.closed(seen.id);
	}

	@Override
	public Word retryAfter(String breaker) {
		Seen seen = this.retryAfters.get(breaker);
		long now = System.nanoTime();
		if (seen == null || now - seen.goneAt >= 0) {
			return null;
		}
		return Word.opened(seen.id, Duration.ofNanos(seen.holdsUntil - now));
	}

	@Override
	public void opened(String breaker, java.time.Instant openUntil, Duration openFor) {
		long now = System.nanoTime();
		String id = newId();
		write(this.circuits, breaker,
				new Seen(FleetRecords.OPEN, id, now + openFor.toNanos(), now + openFor.plus(this.lease).toNanos()),
				circuitKey(breaker), openFor.plus(this.lease), this.lease.toMillis());
	}

	@Override
	public void closed(String breaker) {
		long now = System.nanoTime();
		String id = newId();
		write(this.circuits, breaker, new Seen(FleetRecords.CLOSED, id, now, now + this.lease.toNanos()),
				circuitKey(breaker), this.lease, 0);
	}

	@Override
	public void retryAfter(String breaker, Duration wait) {
		long now = System.nanoTime();
		String id = newId();
		write(this.retryAfters, breaker, new Seen(FleetRecords.WAIT, id, now + wait.toNanos(), now + wait.toNanos()),
				retryAfterKey(breaker), wait, 0);
	}

	/**
	 * Known here at once, written by the next exchange. Under this object's lock (held for
	 * map operations only), so that an exchange's read of an older record cannot replace it.
	 */
	private void write(Map<String, Seen> view, String breaker, Seen word, String key, Duration ttl,
			long lingerMillis) {
		byte[] record = this.records.write(key, word.kind, word.id, lingerMillis);
		synchronized (this) {
			view.put(breaker, word);
			this.writes.put(key, new PendingWrite(record, ttl));
		}
		kick();
	}

	/**
	 * The probe of the fleet's current opening: the instance that holds its lease. Instances
	 * that had calls for the breaker within the last probe lease take it ahead, as the
	 * opening ends, so that the first call after it may already probe; a lease won and not
	 * used soon expires, so that an instance whose traffic stopped holds nobody out.
	 */
	@Override
	public boolean mayProbe(String breaker, java.time.Instant openUntil) {
		if (!this.linkUp) {
			return true;
		}
		Seen seen = this.circuits.get(breaker);
		long now = System.nanoTime();
		if (seen == null || !FleetRecords.OPEN.equals(seen.kind) || now - seen.goneAt >= 0) {
			// No opening of the fleet to share the probe of: this instance's own.
			return true;
		}
		ProbeLease lease = this.leases.get(breaker);
		if (lease == null || !lease.id.equals(seen.id)) {
			this.leases.put(breaker, new ProbeLease(seen.id));
			kick();
			return false;
		}
		if (lease.state == LeaseState.WON && (lease.used || now - lease.validUntil < 0)) {
			if (!lease.used) {
				lease.used = true;
				kick();
			}
			return true;
		}
		return false;
	}

	private void kick() {
		if (this.kicked.compareAndSet(false, true)) {
			try {
				this.scheduler.execute(this::tick);
			}
			catch (RuntimeException shutDown) {
				this.kicked.set(false);
			}
		}
	}

	/** On the scheduler's thread: one exchange, given at most the timeout. */
	private void tick() {
		this.kicked.set(false);
		Future<?> exchange;
		try {
			exchange = this.exchanges.submit(this::exchange);
		}
		catch (RuntimeException shutDown) {
			return;
		}
		try {
			// Connecting (TCP, TLS, handshake) is allowed longer once; the link is down meanwhile.
			exchange.get(this.connected ? this.timeoutNanos : Math.max(this.timeoutNanos, CONNECT_NANOS),
					TimeUnit.NANOSECONDS);
			this.connected = true;
			linkUp();
		}
		catch (TimeoutException ex) {
			exchange.cancel(true);
			linkDown("no answer within " + TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos) + " ms");
		}
		catch (ExecutionException ex) {
			linkDown(String.valueOf(ex.getCause()));
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			Thread.currentThread().interrupt();
		}
	}

	/** On the exchange thread only: write, take leases, read; throws when Redis fails. */
	private void exchange() {
		try (RedisConnection connection = this.connections.getConnection()) {
			for (Map.Entry<String, PendingWrite> write : this.writes.entrySet()) {
				PendingWrite value = write.getValue();
				connection.stringCommands()
					.set(bytes(write.getKey()), value.value, SetCondition.upsert(),
							Expiration.milliseconds(Math.max(1, value.ttl.toMillis())));
				this.writes.remove(write.getKey(), value);
			}
			takeLeases(connection);
			read(connection);
			if (this.retryBudgets != null) {
				this.retryBudgets.exchange((key, delta, ttlMillis) -> increment(connection, key, delta, ttlMillis));
			}
		}
	}

	/**
	 * For every opening that ends within the next exchange or so, or whose probe a caller
	 * asked for: try to take the lease ({@code SET NX PX}); a lease this instance used is
	 * held for the whole probe lease.
	 */
	private void takeLeases(RedisConnection connection) {
		long now = System.nanoTime();
		for (String name : this.tracked) {
			Seen seen = this.circuits.get(name);
			if (seen == null || !FleetRecords.OPEN.equals(seen.kind) || now - seen.goneAt >= 0) {
				continue;
			}
			ProbeLease lease = this.leases.get(name);
			boolean asked = lease != null && lease.id.equals(seen.id);
			Long lastAsked = this.asked.get(name);
			boolean traffic = lastAsked != null && now - lastAsked < this.lease.toNanos();
			if (!asked && (!traffic || seen.holdsUntil - now > this.refreshNanos + this.timeoutNanos)) {
				continue;
			}
			if (!asked) {
				lease = new ProbeLease(seen.id);
				this.leases.put(name, lease);
			}
			byte[] key = bytes(this.prefix + "probe:" + name + ":" + seen.id);
			if (lease.state == LeaseState.WON && lease.used) {
				if (!lease.extended) {
					connection.keyCommands().pExpire(key, this.lease.toMillis());
					lease.extended = true;
				}
			}
			else if (lease.state != LeaseState.WON || now - lease.validUntil >= 0) {
				// Until the opening ends, then a short while for a call to come and use it.
				long validNanos = Math.max(0, seen.holdsUntil - now) + this.unusedLease.toNanos();
				Boolean won = connection.stringCommands()
					.set(key, bytes(this.instance), SetCondition.ifAbsent(),
							Expiration.milliseconds(Math.max(1, TimeUnit.NANOSECONDS.toMillis(validNanos))));
				lease.decide(Boolean.TRUE.equals(won) ? LeaseState.WON : LeaseState.LOST, now + validNanos);
			}
		}
	}

	private void read(RedisConnection connection) {
		List<String> names = new ArrayList<>(this.tracked);
		for (String name : names) {
			readInto(connection, circuitKey(name), name, this.circuits);
			readInto(connection, retryAfterKey(name), name, this.retryAfters);
		}
	}

	/** One record: verified, timed by its TTL on Redis's clock, or no record at all. */
	private void readInto(RedisConnection connection, String key, String name, Map<String, Seen> view) {
		byte[] redisKey = bytes(key);
		byte[] value = connection.stringCommands().get(redisKey);
		Long ttl = (value != null) ? connection.keyCommands().pTtl(redisKey) : null;
		long now = System.nanoTime();
		if (value == null || ttl == null || ttl == -2) {
			update(view, name, key, null);
			return;
		}
		FleetRecords.Record record;
		try {
			record = this.records.read(key, value);
		}
		catch (FleetRecords.InvalidRecordException ex) {
			this.rejections.reject(ex.getMessage());
			update(view, name, key, null);
			return;
		}
		boolean circuit = view == this.circuits;
		if (circuit == FleetRecords.WAIT.equals(record.kind())) {
			this.rejections.reject("a fleet record of the wrong kind for its key");
			update(view, name, key, null);
			return;
		}
		long ttlMillis = (ttl < 0) ? NO_TTL_MILLIS : Math.min(ttl, NO_TTL_MILLIS);
		long goneAt = now + TimeUnit.MILLISECONDS.toNanos(ttlMillis);
		long holdsUntil = FleetRecords.CLOSED.equals(record.kind()) ? now
				: goneAt - TimeUnit.MILLISECONDS.toNanos(Math.min(record.lingerMillis(), ttlMillis));
		Seen known = view.get(name);
		if (known != null && known.id.equals(record.id())) {
			// The same word read again: keep when it was first timed, Redis's TTL can only have shrunk.
			holdsUntil = Math.min(holdsUntil, known.holdsUntil);
		}
		update(view, name, key, new Seen(record.kind(), record.id(), holdsUntil, goneAt));
	}

	/** What Redis holds, unless this instance has a newer word of its own still to write. */
	private synchronized void update(Map<String, Seen> view, String name, String key, Seen word) {
		if (this.writes.containsKey(key)) {
			return;
		}
		if (word == null) {
			view.remove(name);
		}
		else {
			view.put(name, word);
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

	private void linkUp() {
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

	private String circuitKey(String breaker) {
		return this.prefix + "circuit:" + breaker;
	}

	private String retryAfterKey(String breaker) {
		return this.prefix + "retry-after:" + breaker;
	}

	private static String newId() {
		byte[] id = new byte[12];
		ThreadLocalRandom.current().nextBytes(id);
		return HexFormat.of().formatHex(id);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.exchanges.shutdownNow();
	}

	@Override
	public String toString() {
		return "RedisFleetCircuitState[" + this.prefix + ", link " + (this.linkUp ? "up" : "down") + "]";
	}

	/** A word as known here, timed on this JVM's monotonic clock: open until, and gone from Redis at. */
	private record Seen(String kind, String id, long holdsUntil, long goneAt) {
	}

	private record PendingWrite(byte[] value, Duration ttl) {
	}

	private enum LeaseState {

		PENDING, WON, LOST

	}

	/** This instance's request for the probe of one opening, and Redis's answer. */
	private static final class ProbeLease {

		final String id;

		volatile LeaseState state = LeaseState.PENDING;

		/** Until when a won lease not used yet holds, on this JVM's monotonic clock. */
		volatile long validUntil;

		volatile boolean used;

		volatile boolean extended;

		ProbeLease(String id) {
			this.id = id;
		}

		void decide(LeaseState state, long validUntil) {
			this.validUntil = validUntil;
			this.state = state;
		}

	}

}
