package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;

import org.springframework.cache.concurrent.ConcurrentMapCache;

/**
 * A last-good store over an in-memory Spring cache that records every key written, for
 * tests of what the chain stores and serves.
 */
final class RecordingLastGoodStore implements LastGoodStore {

	final List<String> keysWritten = new CopyOnWriteArrayList<>();

	final ConcurrentMapCache cache = new ConcurrentMapCache("last-good");

	private final CacheLastGoodStore delegate = new CacheLastGoodStore(this.cache, Duration.ofHours(1),
			Clock.systemUTC());

	@Override
	public LastGoodAnswer get(String key) {
		return this.delegate.get(key);
	}

	@Override
	public void put(String key, LastGoodAnswer answer) {
		this.keysWritten.add(key);
		this.delegate.put(key, answer);
	}

}
