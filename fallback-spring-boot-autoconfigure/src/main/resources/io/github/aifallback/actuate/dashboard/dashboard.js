// The AI fallback dashboard: polls <base>/state and renders it. Everything shown goes
// through textContent or setAttribute, never innerHTML, so no value can become markup.
(function () {
	'use strict';

	function meta(name) {
		var element = document.querySelector('meta[name="ai-fallback-' + name + '"]');
		return element ? element.getAttribute('content') : '';
	}

	var base = meta('base');
	var token = meta('token');
	var refresh = Math.max(100, parseInt(meta('refresh'), 10) || 2000);
	var STATES = { CLOSED: 'closed', OPEN: 'open', HALF_OPEN: 'half-open', FORCED_OPEN: 'forced-open' };
	var timer = null;
	var busy = false;
	// A refused change stays on screen until the next one, though the figures refresh.
	var actionError = null;

	function el(tag, className, text) {
		var element = document.createElement(tag);
		if (className) {
			element.className = className;
		}
		if (text !== undefined && text !== null) {
			element.textContent = String(text);
		}
		return element;
	}

	function cell(text, className) {
		return el('td', className, text);
	}

	function millis(value) {
		if (value === null || value === undefined) {
			return '–';
		}
		return value < 1000 ? value + ' ms' : (value / 1000).toFixed(value < 10000 ? 2 : 1) + ' s';
	}

	function percent(value) {
		return (value === null || value === undefined) ? '–' : (value * 100).toFixed(1) + ' %';
	}

	function time(iso) {
		if (!iso) {
			return '–';
		}
		var date = new Date(iso);
		return isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
	}

	// The viewer's local time, with UTC on hover.
	function timed(element, iso) {
		element.textContent = time(iso);
		var date = iso ? new Date(iso) : null;
		if (date && !isNaN(date.getTime())) {
			element.setAttribute('title', date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
			element.setAttribute('data-utc', date.toISOString());
		}
		return element;
	}

	function timeCell(iso) {
		return timed(el('td', 'time'), iso);
	}

	function stateBadge(state) {
		var badge = el('span', 'badge state ' + (STATES[state] || 'unknown'), String(state).replace(/_/g, ' '));
		badge.setAttribute('data-state', state);
		return badge;
	}

	function fill(tbody, rows, columns, emptyText) {
		tbody.replaceChildren();
		if (rows.length === 0) {
			var empty = cell(emptyText, 'empty');
			empty.colSpan = columns;
			var tr = el('tr');
			tr.appendChild(empty);
			tbody.appendChild(tr);
			return;
		}
		rows.forEach(function (row) {
			tbody.appendChild(row);
		});
	}

	function bars(perMinute) {
		var box = el('div', 'bars');
		var max = 1;
		perMinute.forEach(function (minute) {
			max = Math.max(max, minute.successes + minute.failures);
		});
		perMinute.forEach(function (minute) {
			var total = minute.successes + minute.failures;
			var bar = el('div', 'bar');
			bar.style.height = Math.max(4, Math.round(100 * total / max)) + '%';
			bar.setAttribute('title', minute.successes + ' succeeded, ' + minute.failures + ' failed');
			if (total > 0) {
				var ok = el('div', 'ok');
				ok.style.height = (100 * minute.successes / total) + '%';
				var failed = el('div', 'failed');
				failed.style.height = (100 * minute.failures / total) + '%';
				bar.appendChild(ok);
				bar.appendChild(failed);
			}
			box.appendChild(bar);
		});
		return box;
	}

	function button(entry, state, label, className, disabled) {
		var b = el('button', className, label);
		b.type = 'button';
		b.disabled = disabled;
		b.setAttribute('data-entry', entry);
		b.setAttribute('data-action', state);
		b.addEventListener('click', function () {
			change(entry, state, b);
		});
		return b;
	}

	function entryRow(entry, writable) {
		var tr = el('tr');
		tr.setAttribute('data-entry', entry.name);
		tr.appendChild(cell(entry.position, 'num'));
		var name = cell(null);
		name.appendChild(el('span', 'name', entry.name));
		name.appendChild(el('span', 'model', entry.model));
		tr.appendChild(name);
		var circuit = cell(null, 'circuit');
		circuit.appendChild(stateBadge(entry.circuitState));
		if (entry.openUntil && entry.circuitState === 'OPEN') {
			circuit.appendChild(timed(el('span', 'until'), entry.openUntil));
			circuit.lastChild.textContent = 'probe at ' + circuit.lastChild.textContent;
		}
		if (entry.evidence) {
			circuit.appendChild(el('span', 'evidence', 'evidence: ' + String(entry.evidence).toLowerCase()));
		}
		if (entry.retryAfterUntil) {
			circuit.appendChild(timed(el('span', 'until'), entry.retryAfterUntil));
			circuit.lastChild.textContent = 'Retry-After until ' + circuit.lastChild.textContent;
		}
		var rates = el('span', 'rates', (entry.circuitFailureRate == null)
			? 'window: too few calls for rates'
			: 'window: ' + entry.circuitFailureRate.toFixed(1) + '% failed, '
				+ (entry.circuitSlowCallRate == null ? 0 : entry.circuitSlowCallRate).toFixed(1) + '% slow');
		rates.setAttribute('title', 'The failure and slow-call rates of the circuit breaker\'s window of recent calls');
		circuit.appendChild(rates);
		tr.appendChild(circuit);
		tr.appendChild(cell(entry.successes + entry.failures, 'num'));
		tr.appendChild(cell(percent(entry.successRate), 'num'));
		tr.appendChild(cell(entry.failures, 'num'));
		tr.appendChild(cell(millis(entry.p50Millis), 'num'));
		tr.appendChild(cell(millis(entry.p95Millis), 'num'));
		var chart = cell(null);
		chart.appendChild(bars(entry.perMinute));
		tr.appendChild(chart);
		if (writable) {
			var actions = cell(null, 'actions');
			var out = entry.circuitState === 'FORCED_OPEN';
			actions.appendChild(button(entry.name, 'open', 'Take out', 'take-out', out));
			actions.appendChild(button(entry.name, 'closed', 'Put back', 'put-back', entry.circuitState === 'CLOSED'));
			tr.appendChild(actions);
		}
		return tr;
	}

	function render(state) {
		document.body.classList.toggle('read-only', !state.writable);
		var mode = document.getElementById('mode');
		mode.textContent = state.writable ? 'write access' : 'read-only';
		mode.className = 'badge' + (state.writable ? ' writable' : '');
		var updated = timed(document.getElementById('updated'), state.generatedAt);
		updated.textContent = 'updated ' + updated.textContent;
		document.querySelectorAll('.window').forEach(function (span) {
			span.textContent = '(last ' + state.windowMinutes + ' minutes)';
		});
		var banner = document.getElementById('status');
		banner.setAttribute('data-level', state.status.level);
		document.getElementById('status-title').textContent = state.status.title;
		document.getElementById('status-detail').textContent = state.status.detail;
		var fleet = document.getElementById('fleet');
		fleet.hidden = !state.fleet;
		fleet.setAttribute('data-link', state.fleet || '');
		fleet.textContent = state.fleet ? 'Fleet link (Redis): ' + state.fleet : '';
		var minutes = state.windowMinutes + ' minutes';
		document.getElementById('calls-served').textContent = state.calls.served;
		document.getElementById('calls-degraded').textContent = state.calls.degraded;
		document.getElementById('calls-degraded-detail').textContent = state.calls.degradedLastGood + ' last good, '
			+ state.calls.degradedFixedMessage + ' fixed message';
		document.getElementById('calls-failed').textContent = state.calls.failed;
		var open = state.entries.filter(function (entry) {
			return entry.circuitState !== 'CLOSED';
		}).length;
		document.getElementById('circuits-open').textContent = open + ' of ' + state.entries.length;

		fill(document.querySelector('#entries tbody'), state.entries.map(function (entry) {
			return entryRow(entry, state.writable);
		}), state.writable ? 10 : 9, 'The chain has no entries');

		fill(document.querySelector('#kinds tbody'), Object.keys(state.failuresByKind).map(function (kind) {
			var tr = el('tr');
			tr.appendChild(cell(kind));
			tr.appendChild(cell(state.failuresByKind[kind], 'num'));
			return tr;
		}), 2, 'No failed attempt in the last ' + minutes);

		fill(document.querySelector('#changes tbody'), state.circuitChanges.map(function (change) {
			var tr = el('tr');
			tr.appendChild(timeCell(change.time));
			tr.appendChild(cell(change.entry));
			var from = cell(null);
			from.appendChild(stateBadge(change.from));
			var to = cell(null);
			to.appendChild(stateBadge(change.to));
			tr.appendChild(from);
			tr.appendChild(to);
			return tr;
		}), 4, 'No circuit has changed state since the application started');

		fill(document.querySelector('#calls tbody'), state.recentCalls.map(function (call) {
			var tr = el('tr');
			tr.setAttribute('data-outcome', call.outcome);
			tr.appendChild(timeCell(call.time));
			tr.appendChild(cell(String(call.outcome).toLowerCase(), 'outcome'));
			tr.appendChild(cell(call.attempts, 'num'));
			tr.appendChild(cell(millis(call.durationMillis), 'num'));
			tr.appendChild(cell(call.why.length > 0 ? call.why.join('; ')
				: 'no entry could be tried (circuits open, entries skipped, or the deadline passed)', 'why'));
			return tr;
		}), 5, 'Every call since the application started was served fresh');

		fill(document.querySelector('#failures tbody'), state.recentFailures.map(function (failure) {
			var tr = el('tr');
			tr.appendChild(timeCell(failure.time));
			tr.appendChild(cell(failure.entry));
			tr.appendChild(cell(failure.kind));
			tr.appendChild(cell(failure.status > 0 ? failure.status : '–', 'num'));
			tr.appendChild(cell(failure.attempt + ' of ' + failure.maxAttempts, 'num'));
			tr.appendChild(cell(String(failure.action).toLowerCase().replace(/_/g, ' ')));
			tr.appendChild(cell(millis(failure.durationMillis), 'num'));
			return tr;
		}), 7, 'No attempt has failed since the application started');
	}

	function showError(message) {
		var box = document.getElementById('error');
		box.textContent = message || '';
		box.hidden = !message;
	}

	function load() {
		return fetch(base + '/state', { headers: { Accept: 'application/json' }, cache: 'no-store',
			credentials: 'same-origin' })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.json();
			})
			.then(function (state) {
				render(state);
				showError(actionError);
			})
			.catch(function (error) {
				showError('Cannot read the chain: ' + error.message);
			});
	}

	function poll() {
		clearTimeout(timer);
		load().then(function () {
			timer = setTimeout(poll, refresh);
		});
	}

	function change(entry, state, source) {
		if (busy) {
			return;
		}
		busy = true;
		source.disabled = true;
		fetch(base + '/circuit', { method: 'POST', credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', 'X-AI-Fallback-Token': token },
			body: JSON.stringify({ entry: entry, state: state }) })
			.then(function (response) {
				return response.json().catch(function () {
					return {};
				}).then(function (body) {
					if (!response.ok) {
						throw new Error(body.error || ('HTTP ' + response.status));
					}
				});
			})
			.then(function () {
				actionError = null;
			})
			.catch(function (error) {
				actionError = 'Could not change ' + entry + ': ' + error.message;
			})
			.then(function () {
				busy = false;
				poll();
			});
	}

	poll();
}());
