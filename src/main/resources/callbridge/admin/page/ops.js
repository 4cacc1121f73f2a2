// The bridge's ops page: plain script, no build step, nothing from another host.
// Every value from the bridge (and so from providers) goes into the page as text (textContent or
// text nodes), never as HTML. The admin token lives in this tab's sessionStorage only and is never shown.
'use strict';

(function () {
  const TOKEN_KEY = 'callbridge.adminToken';
  const REFRESH_MS = 5000;
  const STATES = ['open', 'completing', 'pending', 'delivering', 'delivered', 'dead-lettered', 'dry-run', 'test-not-forwarded'];
  const TRIGGER_STATUSES = ['received', 'dialing', 'dialed', 'failed', 'expired'];
  const FINAL_STATES = new Set(['delivered', 'dry-run', 'test-not-forwarded']);

  const view = {
    selected: null,          // {provider, callId}
    nextEventsAfter: null,
    lastEventId: 0,
    loadedEvents: 0,
    replays: new Map(),      // dead letter id -> {provider, callId, outcome, item}
    authFailed: false,
    loading: false,
    providers: new Set(),
  };

  const $ = (id) => document.getElementById(id);

  /** An element with attributes (our own names, values as plain attribute text) and text or element children. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (name === 'class') {
        node.className = value;
      } else if (name === 'onclick') {
        node.addEventListener('click', value);
      } else {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function when(iso) {
    return iso ? String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  }

  function enc(value) {
    return encodeURIComponent(String(value));
  }

  class AuthError extends Error {}

  async function readError(response) {
    try {
      const body = await response.json();
      return body && typeof body.error === 'string' ? body.error : response.statusText;
    } catch (notJson) {
      return response.statusText;
    }
  }

  /** A call to the admin API, relative to this page (so it works under a host's context path too). */
  async function api(path, options = {}) {
    const headers = { Accept: options.raw ? '*/*' : 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    const response = await fetch(path, {
      method: options.method || 'GET', headers, cache: 'no-store', credentials: 'omit', redirect: 'error',
    });
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(await readError(response));
    }
    if (!response.ok) {
      const error = new Error(path.split('?')[0] + ': ' + response.status + ' ' + (await readError(response)));
      error.status = response.status;
      throw error;
    }
    return options.raw ? response.text() : response.json();
  }

  function showMessage(text, kind) {
    const box = $('message');
    box.textContent = text;
    box.setAttribute('data-kind', kind);
    box.hidden = false;
  }

  function clearMessage() {
    $('message').hidden = true;
    $('message').textContent = '';
  }

  function authProblem(serverMessage) {
    view.authFailed = true;
    const token = sessionStorage.getItem(TOKEN_KEY);
    let text;
    if (serverMessage.includes('BRIDGE_ADMIN_TOKEN is not set')) {
      text = 'Not allowed: ' + serverMessage + '. Open this page on the bridge\'s own host, or set BRIDGE_ADMIN_TOKEN and enter it here.';
    } else if (token) {
      text = 'Wrong admin token: the bridge refused it (401 ' + serverMessage + '). Enter the value of BRIDGE_ADMIN_TOKEN.';
    } else {
      text = 'This bridge needs its admin token: enter the value of BRIDGE_ADMIN_TOKEN above.';
    }
    showMessage(text, 'auth');
    for (const id of ['dead-letters', 'calls', 'triggers', 'summary-calls', 'summary-dead-letters', 'summary-triggers',
      'summary-refused']) {
      $(id).replaceChildren();
    }
    $('call-detail').hidden = true;
    $('refreshed-at').textContent = '';
  }

  function failed(error) {
    if (error instanceof AuthError) {
      authProblem(error.message);
    } else {
      showMessage('The bridge did not answer as expected: ' + error.message, 'error');
    }
  }

  // ---- summary -------------------------------------------------------------------------------

  function counts(list, values, onPick) {
    list.replaceChildren(...Object.entries(values).map(([name, count]) => el('li', { 'data-count': name },
      onPick ? el('button', { type: 'button', class: 'link', onclick: () => onPick(name) }, name) : el('span', {}, name),
      el('b', { class: count > 0 ? 'nonzero' : '' }, count))));
  }

  function renderSummary(summary) {
    counts($('summary-calls'), summary.calls, (state) => {
      document.querySelector('#call-filters [name=state]').value = state;
      refresh();
    });
    counts($('summary-dead-letters'), summary.deadLetters);
    counts($('summary-triggers'), summary.outboundTriggers, (status) => {
      document.querySelector('#trigger-filters [name=status]').value = status;
      refresh();
    });
    renderRefused(summary.refusedWebhooks);
  }

  /** Refused webhooks by provider and reason; a provider refused with none accepted (a rotated secret?) stands out. */
  function renderRefused(refused) {
    $('summary-refused-window').textContent = '(this node, last ' + refused.window + ')';
    $('summary-refused').replaceChildren(...refused.providers.map((p) => el('li', {
      'data-refused-provider': p.provider, class: p.refusedOnly ? 'refused-only' : '',
      title: p.refusedOnly ? 'every webhook refused, none accepted: a rotated secret or token?' : null,
    },
    el('span', {}, p.provider),
    ...Object.entries(p.refused).map(([reason, count]) => el('span', { 'data-reason': reason }, reason + ' ', el('b', {}, count))),
    el('span', { class: 'muted', 'data-accepted': p.accepted }, p.refusedOnly ? 'none accepted' : p.accepted + ' accepted'))));
    $('summary-refused-none').hidden = refused.providers.length > 0;
  }

  // ---- dead letters and replays --------------------------------------------------------------

  function renderLetters(letters) {
    $('dead-letters').replaceChildren(...letters.map((letter) => el('tr', {
      'data-dead-letter-id': letter.id, 'data-provider': letter.provider, 'data-letter-call-id': letter.callId,
      'data-status': letter.status,
    },
    el('td', {}, letter.id),
    el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => select(letter.provider, letter.callId) },
      letter.provider + ' / ' + letter.callId)),
    el('td', {}, el('span', { class: 'badge', 'data-badge': letter.status }, letter.status)),
    el('td', { class: 'wrap' }, letter.reason),
    el('td', {}, letter.attempts),
    el('td', {}, letter.lastStatus),
    el('td', {}, when(letter.deadAt)),
    el('td', {}, when(letter.replayedAt)),
    el('td', {}, el('button', {
      type: 'button', 'data-action': 'replay', disabled: letter.status !== 'waiting',
      onclick: () => replay(letter),
    }, 'Replay')))));
    $('dead-letters-empty').hidden = letters.length > 0;
  }

  function outcomeItem(id, letter) {
    const item = el('li', { 'data-replay-of': id, 'data-outcome': 'replaying' });
    $('replay-outcomes').prepend(item);
    const replay = { provider: letter.provider, callId: letter.callId, outcome: 'replaying', item };
    view.replays.set(String(id), replay);
    showOutcome(replay, 'replaying', 'replay requested');
    return replay;
  }

  function showOutcome(replay, outcome, detail) {
    replay.outcome = outcome;
    replay.item.setAttribute('data-outcome', outcome);
    replay.item.replaceChildren(
      el('span', { class: 'muted' }, new Date().toLocaleTimeString() + ' '),
      'dead letter ' + replay.item.getAttribute('data-replay-of') + ' (' + replay.provider + ' / ' + replay.callId + '): ',
      el('span', { class: 'badge', 'data-badge': outcome }, outcome),
      detail ? ' ' + detail : '');
  }

  async function replay(letter) {
    try {
      await api('dead-letters/' + enc(letter.id) + '/replay', { method: 'POST' });
      outcomeItem(letter.id, letter);
    } catch (error) {
      if (error.status === 404) {
        showMessage('Dead letter ' + letter.id + ' is no longer waiting (being replayed or delivered).', 'info');
      } else {
        failed(error);
        return;
      }
    }
    refresh();
  }

  async function replayAll() {
    const waiting = [...document.querySelectorAll('#dead-letters tr[data-status=waiting]')].map((row) => ({
      id: row.getAttribute('data-dead-letter-id'), provider: row.getAttribute('data-provider'),
      callId: row.getAttribute('data-letter-call-id'),
    }));
    try {
      const answer = await api('dead-letters/replay', { method: 'POST' });
      waiting.forEach((letter) => outcomeItem(letter.id, letter));
      showMessage('Replaying ' + answer.replaying + ' dead letter' + (answer.replaying === 1 ? '' : 's') + '.', 'info');
    } catch (error) {
      failed(error);
      return;
    }
    refresh();
  }

  /** Follows each replay until its call is delivered or back in the dead letters. */
  async function trackReplays(letters) {
    for (const [id, replay] of view.replays) {
      if (replay.outcome !== 'replaying') {
        continue;
      }
      const call = await api(callPath(replay.provider, replay.callId) + '&eventsLimit=1');
      const letter = letters.find((l) => String(l.id) === id);
      if (FINAL_STATES.has(call.state)) {
        showOutcome(replay, call.state, call.deliveredAt ? 'at ' + when(call.deliveredAt) : '');
      } else if (call.state === 'dead-lettered' && letter && letter.status === 'waiting') {
        showOutcome(replay, 'failed-again', letter.reason);
      } else {
        showOutcome(replay, 'replaying', '(call ' + call.state + ')');
      }
    }
  }

  // ---- calls ---------------------------------------------------------------------------------

  function callQuery() {
    const form = $('call-filters');
    const query = new URLSearchParams();
    for (const name of ['state', 'provider', 'limit']) {
      const value = form.elements[name].value.trim();
      if (value) {
        query.set(name, value);
      }
    }
    return query.toString();
  }

  function renderCalls(calls) {
    $('calls').replaceChildren(...calls.map((call) => {
      view.providers.add(call.provider);
      const selected = view.selected && view.selected.provider === call.provider && view.selected.callId === call.callId;
      return el('tr', {
        'data-call-id': call.callId, 'data-provider': call.provider, 'data-state': call.state,
        'aria-selected': selected ? 'true' : 'false', tabindex: 0,
        onclick: () => select(call.provider, call.callId),
      },
      el('td', {}, call.provider),
      el('td', { class: 'mono' }, call.callId),
      el('td', {}, el('span', { class: 'badge', 'data-badge': call.state }, call.state), call.test ? ' test' : ''),
      el('td', {}, when(call.firstEventAt)),
      el('td', {}, when(call.lastEventAt)),
      el('td', {}, call.attempts),
      el('td', { title: call.lastError || '' }, call.lastStatus),
      el('td', {}, when(call.deliveredAt)));
    }));
    $('calls-empty').hidden = calls.length > 0;
    $('providers').replaceChildren(...[...view.providers].sort().map((p) => el('option', { value: p })));
  }

  function select(provider, callId) {
    view.selected = { provider, callId };
    for (const row of document.querySelectorAll('#calls tr')) {
      row.setAttribute('aria-selected', String(row.getAttribute('data-provider') === provider
        && row.getAttribute('data-call-id') === callId));
    }
    loadCall(true).then(() => $('call-detail').scrollIntoView({ block: 'start' }), failed);
  }

  /** A call named in the query, not the path: any call id opens, one with a / or a % too. */
  function callPath(provider = view.selected.provider, callId = view.selected.callId) {
    return 'call?provider=' + enc(provider) + '&id=' + enc(callId);
  }

  /** The selected call; with {@code withEvents} its first page of events again, else only what changes. */
  async function loadCall(withEvents) {
    if (!view.selected) {
      return;
    }
    const call = await api(callPath() + (withEvents ? '' : '&eventsLimit=1'));
    $('call-detail').hidden = false;
    $('call-detail').setAttribute('data-detail-call-id', call.callId);
    $('call-detail').setAttribute('data-state', call.state);
    $('call-title').textContent = 'Call ' + call.provider + ' / ' + call.callId;
    renderFacts(call);
    renderTranscript(call);
    renderAttempts(call.deliveryAttempts || []);
    $('call-payload').textContent = call.payload === null || call.payload === undefined
      ? '(not assembled yet)' : JSON.stringify(call.payload, null, 2);
    if (withEvents) {
      $('call-events').replaceChildren();
      view.loadedEvents = 0;
      view.lastEventId = 0;
      appendEvents(call);
    } else if (call.eventCount > view.loadedEvents && view.nextEventsAfter === null) {
      view.nextEventsAfter = view.lastEventId;   // events came in since: offer them
    }
    $('call-event-count').textContent = '(' + view.loadedEvents + ' of ' + call.eventCount + ' shown)';
    document.querySelector('[data-action=more-events]').hidden = view.nextEventsAfter === null;
  }

  function renderFacts(call) {
    const facts = [
      ['State', call.state], ['Test call', call.test ? 'yes' : 'no'], ['First event', when(call.firstEventAt)],
      ['Last event', when(call.lastEventAt)], ['End received', when(call.endedReceivedAt)], ['Due', when(call.dueAt)],
      ['Completed', when(call.completedAt)], ['Delivery window ends', when(call.windowEndsAt)],
      ['Attempts', call.attempts], ['Completion failures', call.completionFailures], ['Last status', call.lastStatus], ['Last error', call.lastError],
      ['Delivered', when(call.deliveredAt)],
    ];
    $('call-facts').replaceChildren(...facts.flatMap(([name, value]) => [el('dt', {}, name),
      el('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]));
  }

  function cekuraCall(call) {
    const payload = call.payload;
    if (!payload || typeof payload !== 'object') {
      return null;
    }
    const calls = Array.isArray(payload.calls) ? payload.calls : [payload];
    return calls.find((c) => c && c.id === call.provider + '-' + call.callId) || calls[0] || null;
  }

  function renderTranscript(call) {
    const sent = cekuraCall(call);
    const messages = sent && Array.isArray(sent.messages) ? sent.messages : [];
    $('call-transcript').replaceChildren(...messages.map((message) => el('li', { 'data-role': message.role },
      el('span', { class: 'role' }, message.role),
      el('span', { class: 'content' }, message.content ? message.content
        : (message.data ? JSON.stringify(message.data) : '')))));
    if (messages.length === 0) {
      $('call-transcript').appendChild(el('li', { class: 'muted' }, 'No messages (the call is not assembled yet, or had none).'));
    }
  }

  function renderAttempts(attempts) {
    $('call-attempts').replaceChildren(...attempts.map((a) => el('tr', { 'data-outcome': a.outcome },
      el('td', {}, a.attempt), el('td', {}, when(a.at)), el('td', {}, a.status),
      el('td', {}, el('span', { class: 'badge', 'data-badge': a.outcome }, a.outcome)),
      el('td', { class: 'wrap mono' }, a.detail))));
  }

  function appendEvents(call) {
    const body = $('call-events');
    for (const event of call.events) {
      const row = el('tr', { 'data-event-id': event.id },
        el('td', {}, event.id), el('td', { class: 'mono' }, event.eventType),
        el('td', {}, event.kind, event.test ? ' (test)' : ''), el('td', {}, when(event.occurredAt)),
        el('td', {}, when(event.receivedAt)), el('td', {}, event.rawBytes),
        el('td', {}, el('button', { type: 'button', 'data-action': 'raw', onclick: () => toggleRaw(row, event.id) }, 'Raw body')));
      body.appendChild(row);
      view.loadedEvents++;
      view.lastEventId = event.id;
    }
    view.nextEventsAfter = call.nextEventsAfter === undefined ? null : call.nextEventsAfter;
  }

  async function moreEvents() {
    try {
      const call = await api(callPath() + '&eventsAfter=' + enc(view.nextEventsAfter));
      appendEvents(call);
      $('call-event-count').textContent = '(' + view.loadedEvents + ' of ' + call.eventCount + ' shown)';
      document.querySelector('[data-action=more-events]').hidden = view.nextEventsAfter === null;
    } catch (error) {
      failed(error);
    }
  }

  async function toggleRaw(row, eventId) {
    const next = row.nextElementSibling;
    if (next && next.getAttribute('data-raw-of') === String(eventId)) {
      next.remove();
      return;
    }
    try {
      const text = await api('call/events/' + enc(eventId) + '?provider=' + enc(view.selected.provider)
        + '&id=' + enc(view.selected.callId), { raw: true });
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch (notJson) {
        // shown as it came
      }
      row.after(el('tr', { 'data-raw-of': eventId }, el('td', { colspan: 7 }, el('pre', { class: 'json raw' }, shown))));
    } catch (error) {
      failed(error);
    }
  }

  // ---- outbound triggers ---------------------------------------------------------------------

  function triggerQuery() {
    const status = $('trigger-filters').elements.status.value;
    return status ? 'status=' + enc(status) : '';
  }

  function renderTriggers(triggers) {
    $('triggers').replaceChildren(...triggers.map((t) => el('tr', { 'data-trigger-id': t.id, 'data-status': t.status },
      el('td', { class: 'mono' }, t.id), el('td', {}, el('span', { class: 'badge', 'data-badge': t.status }, t.status)),
      el('td', {}, t.fromNumber), el('td', {}, t.toNumber), el('td', {}, when(t.receivedAt)),
      el('td', {}, when(t.dialDeadline)), el('td', {}, t.attempts), el('td', { class: 'mono' }, t.providerCallId),
      el('td', {}, t.lastStatus), el('td', { class: 'wrap' }, t.lastError))));
    $('triggers-empty').hidden = triggers.length > 0;
  }

  // ---- the cycle -----------------------------------------------------------------------------

  async function refresh() {
    if (view.loading) {
      return;
    }
    view.loading = true;
    try {
      const [summary, letters, calls, triggers] = await Promise.all([
        api('summary'), api('dead-letters'), api('calls?' + callQuery()), api('outbound-triggers?' + triggerQuery())]);
      if (view.authFailed || !$('message').hidden && $('message').getAttribute('data-kind') !== 'info') {
        clearMessage();
      }
      view.authFailed = false;
      renderSummary(summary);
      renderLetters(letters);
      renderCalls(calls);
      renderTriggers(triggers);
      await trackReplays(letters);
      if (view.selected && !$('call-detail').hidden
          && !FINAL_STATES.has($('call-detail').getAttribute('data-state'))) {
        await loadCall(false);
      }
      $('refreshed-at').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      failed(error);
    } finally {
      view.loading = false;
    }
  }

  function showTokenState() {
    $('token-state').textContent = sessionStorage.getItem(TOKEN_KEY)
      ? 'token set for this tab' : 'no token (enough on the bridge host when BRIDGE_ADMIN_TOKEN is unset)';
  }

  function start() {
    const states = document.querySelector('#call-filters [name=state]');
    STATES.forEach((s) => states.appendChild(el('option', { value: s }, s)));
    const statuses = document.querySelector('#trigger-filters [name=status]');
    TRIGGER_STATUSES.forEach((s) => statuses.appendChild(el('option', { value: s }, s)));

    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('token');
      const token = input.value.trim();
      input.value = '';
      if (!token) {
        showMessage('Type the admin token (BRIDGE_ADMIN_TOKEN) first.', 'info');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      showTokenState();
      clearMessage();
      refresh();
    });
    document.querySelector('[data-action=forget-token]').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenState();
      refresh();
    });
    for (const form of [$('call-filters'), $('trigger-filters')]) {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        refresh();
      });
    }
    document.querySelector('[data-action=refresh]').addEventListener('click', refresh);
    document.querySelector('[data-action=replay-all]').addEventListener('click', replayAll);
    document.querySelector('[data-action=more-events]').addEventListener('click', moreEvents);
    setInterval(() => {
      if ($('auto-refresh').checked && !document.hidden && !view.authFailed) {
        refresh();
      }
    }, REFRESH_MS);
    showTokenState();
    refresh();
  }

  document.addEventListener('DOMContentLoaded', start);
}());
