// The front desk dashboard: plain JavaScript, no dependencies, no CDN.
// Customer text is only ever put into the page with textContent, never parsed as HTML.
'use strict';

(function () {
  const KEY_STORAGE = 'frontdesk.apiKey';
  /** Leads per page: the first request, each "Load more", and what a refresh asks for (the rows shown, in one request). */
  const PAGE_SIZE = 50;
  const MAX_LIMIT = 1000;
  /** While the live stream is down the page asks again this often; while it is up it never polls. */
  const POLL_MS = 30000;
  const SEARCH_DEBOUNCE_MS = 300;
  /** Changes that arrive together cause one refresh, at most one a second. */
  const EVENT_COALESCE_MS = 250;
  const REFRESH_MIN_GAP_MS = 1000;
  /** Reconnect backoff after the stream ends: doubled from the first delay up to the last, with jitter. */
  const RECONNECT_FIRST_MS = 1000;
  const RECONNECT_MAX_MS = 30000;
  /** The app sends a heartbeat every 15 s: a stream silent for longer than this is treated as dead. */
  const STREAM_SILENCE_MS = 45000;
  const TIMES_MS = 30000;
  const BUDGET_CHECK_MS = 10 * 60 * 1000;
  /** The Settings page's event webhooks line counts at most this many events of each status. */
  const EVENTS_SHOWN = 100;

  const $ = (id) => document.getElementById(id);
  const views = ['key-view', 'leads-view', 'lead-view', 'settings-view'];
  let renderToken = 0;
  /** What the live stream and the fallback poll refresh: set by route() for the page shown. */
  let page = { refresh: null, onChange: null };

  // ------------------------------------------------------------------ helpers

  /** Creates an element; strings among the children become text nodes (never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function show(id) {
    for (const v of views) $(v).hidden = v !== id;
    $('sign-out').hidden = !apiKey();
    $('nav-leads').classList.toggle('active', id === 'leads-view' || id === 'lead-view');
    $('nav-settings').classList.toggle('active', id === 'settings-view');
  }

  function setError(id, text) {
    const node = $(id);
    node.textContent = text || '';
    node.hidden = !text;
  }

  function apiKey() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, options) {
    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + (apiKey() || '') };
    const init = { method: 'GET', headers, cache: 'no-store' };
    if (options && options.json !== undefined) {
      init.method = options.method || 'POST';
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'network', 'The app is not answering. Is it still running?');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const err = body && body.error ? body.error : {};
      if (response.status === 401) {
        sessionStorage.removeItem(KEY_STORAGE);
        askForKey('The key was not accepted. Enter FRONTDESK_API_KEY again.');
      }
      throw new ApiError(response.status, err.code || 'http_' + response.status,
        err.message || 'The app answered HTTP ' + response.status + '.');
    }
    return body;
  }

  function formatTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleString();
  }

  function relativeTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (isNaN(d)) return '—';
    const s = Math.round((Date.now() - d.getTime()) / 1000);
    if (s < 45) return 'just now';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return d.toLocaleDateString();
  }

  function timeEl(iso, text) {
    return el('time', { datetime: iso || null, title: formatTime(iso) || null }, text);
  }

  /** A time shown as "5 min ago"; refreshTimes() keeps the words current without rebuilding the rows. */
  function relativeTimeEl(iso) {
    const node = timeEl(iso, relativeTime(iso));
    node.setAttribute('data-relative', '');
    return node;
  }

  function refreshTimes() {
    for (const t of document.querySelectorAll('time[data-relative]')) {
      const words = relativeTime(t.getAttribute('datetime'));
      if (t.textContent !== words) t.textContent = words;
    }
  }

  function truncate(text, max) {
    const flat = (text || '').replace(/\s+/g, ' ').trim();
    return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
  }

  function leadName(lead) {
    const q = lead.qualification || {};
    return lead.name || q.name || lead.phoneNumber;
  }

  /** Whether the AI answers this lead now: switched on and not paused by a staff takeover. */
  function aiActive(lead) {
    if (lead.aiEnabled === false) return false;
    return !(lead.aiPausedUntil && new Date(lead.aiPausedUntil) > new Date());
  }

  function isWhatsApp(lead) {
    return lead.channel === 'whatsapp';
  }

  function badges(lead) {
    const span = el('span', { class: 'badges' });
    if (isWhatsApp(lead)) span.append(el('span', { class: 'badge badge-whatsapp', title: 'This lead writes to you on WhatsApp' }, 'WhatsApp'));
    else if (lead.smsEnabled) span.append(el('span', { class: 'badge badge-sms', title: 'This lead texts with you by SMS' }, 'SMS'));
    if (lead.source === 'call') {
      span.append(el('span', { class: 'badge badge-call', title: 'Called the business, nobody answered, and was texted back' }, 'Call'));
    }
    if (lead.smsOptOut) span.append(el('span', { class: 'badge badge-optout', title: 'Texted STOP: no messages until they text START' }, 'Opted out'));
    if (lead.aiPausedUntil && new Date(lead.aiPausedUntil) > new Date()) {
      span.append(el('span', { class: 'badge badge-paused', title: 'AI paused until ' + formatTime(lead.aiPausedUntil) }, 'AI paused'));
    } else if (lead.aiEnabled === false) {
      span.append(el('span', { class: 'badge badge-paused' }, 'AI off'));
    }
    return span;
  }

  const STATUS_WORDS = {
    pending: 'Sending…',
    accepted: 'Accepted by Twilio',
    scheduled: 'Scheduled',
    queued: 'Queued at Twilio',
    sending: 'Sending',
    sent: 'Sent, waiting for the carrier',
    partially_delivered: 'Partly delivered',
    delivered: 'Delivered',
    read: 'Read',
    undelivered: 'Not delivered',
    failed: 'Failed',
    canceled: 'Canceled',
    simulated: 'Simulated: not really sent (Twilio is not configured)',
    receiving: 'Receiving',
    received: 'Received',
  };

  const ERROR_WORDS = {
    unverified_number: 'Not sent: test mode only texts verified numbers, and this one is not verified in your Twilio account.',
    duplicate_twilio_sid: 'Twilio answered with a message id that was already stored.',
    '21211': 'Not sent: Twilio says the number is invalid (21211).',
    '21408': 'Not sent: your Twilio account may not text this region (21408).',
    '21608': 'Not sent: a trial account can only text verified numbers (21608).',
    '21610': 'Not sent: the customer opted out by texting STOP (21610).',
    '21614': 'Not sent: the number is not a mobile number (21614).',
    '30003': 'Not delivered: the phone is off or unreachable (30003).',
    '30004': 'Not delivered: the customer blocked the message (30004).',
    '30005': 'Not delivered: the number is unknown or no longer in service (30005).',
    '30006': 'Not delivered: a landline or an unreachable carrier (30006).',
    '30007': 'Not delivered: filtered by the carrier as spam (30007).',
    '30008': 'Not delivered: unknown error at the carrier (30008).',
  };

  const SEND_ERROR_WORDS = {
    opted_out: 'Not sent: this customer opted out by texting STOP. They must text START before you can message them again.',
    unverified_number: 'Not sent: Twilio is in test mode, which only texts verified numbers, and this number is not verified. '
      + 'Verify it in the Twilio console (Phone Numbers → Verified Caller IDs), add it to TWILIO_VERIFIED_NUMBERS, or set TWILIO_TEST_MODE=false.',
    empty_message: 'Write something to send first.',
    rate_limited: 'Not sent: too many messages this minute (OUTBOUND_PER_MINUTE). Wait a moment and send again.',
    lead_not_found: 'This lead no longer exists.',
    outside_window: 'Not sent: WhatsApp allows a free-form message only within 24 hours of the customer\'s last message. '
      + 'Wait until they write again.',
  };

  function errorWords(code) {
    if (!code) return '';
    return ERROR_WORDS[code] || 'Error ' + code + '.';
  }

  // ------------------------------------------------------------------ key

  function askForKey(message) {
    stopUpdates();
    show('key-view');
    setError('key-error', message || '');
    $('key-input').value = '';
    $('key-input').focus();
  }

  async function submitKey(event) {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY_STORAGE, key);
    try {
      await api('api/twilio/status');
    } catch (e) {
      if (e.status !== 401) setError('key-error', e.message);
      return;
    }
    setError('key-error', '');
    route();
  }

  // ------------------------------------------------------------------ leads page

  /**
   * The leads page: one request per refresh. A refresh asks for as many rows as are shown (the first page, plus
   * every "Load more") with the search and filter, and each lead carries its lastMessage, so no per-lead calls.
   */
  const list = { q: '', filter: '', shown: PAGE_SIZE, leads: [], nextCursor: null, signature: null, busy: null, again: false };

  function leadsQuery(extra) {
    const params = new URLSearchParams(extra);
    if (list.q) params.set('q', list.q);
    if (list.filter) params.set('filter', list.filter);
    return 'api/leads?' + params.toString();
  }

  /** Runs list requests one after another, so a refresh and a "Load more" never interleave. */
  function listTask(fn) {
    const run = (list.busy || Promise.resolve()).then(fn, fn);
    const mine = run.finally(() => { if (list.busy === mine) list.busy = null; });
    list.busy = mine;
    return mine;
  }

  /** Refreshes the list; calls made while one is waiting to run join it. */
  function refreshLeads(token) {
    if (list.again) return list.busy;
    list.again = true;
    return listTask(async () => {
      list.again = false;
      if (token !== renderToken) return;
      let body;
      try {
        body = await api(leadsQuery({ limit: String(Math.min(Math.max(list.shown, PAGE_SIZE), MAX_LIMIT)) }));
      } catch (e) {
        if (e.status !== 401 && token === renderToken) setError('leads-error', 'Could not load the leads: ' + e.message);
        return;
      }
      if (token !== renderToken) return;
      list.leads = body.leads || [];
      list.nextCursor = body.nextCursor || null;
      showLeads();
    });
  }

  function loadMoreLeads(token) {
    if (!list.nextCursor) return Promise.resolve();
    $('leads-more').disabled = true;
    return listTask(async () => {
      try {
        if (!list.nextCursor || token !== renderToken) return;
        let body;
        try {
          body = await api(leadsQuery({ limit: String(PAGE_SIZE), cursor: list.nextCursor }));
        } catch (e) {
          if (e.status !== 401) setError('leads-error', 'Could not load more leads: ' + e.message);
          return;
        }
        if (token !== renderToken) return;
        const seen = new Set(list.leads.map((l) => String(l.id)));
        list.leads = list.leads.concat((body.leads || []).filter((l) => !seen.has(String(l.id))));
        list.shown = list.leads.length;
        list.nextCursor = body.nextCursor || null;
        showLeads();
      } finally {
        $('leads-more').disabled = false;
      }
    });
  }

  function showLeads() {
    setError('leads-error', '');
    const leads = list.leads;
    // Rebuild the rows only when something changed, so the table does not flicker under the pointer.
    const signature = JSON.stringify(leads);
    if (signature !== list.signature) {
      list.signature = signature;
      $('leads-body').replaceChildren(...leads.map((lead) => leadRow(lead, lead.lastMessage)));
    }
    refreshTimes();
    const searching = Boolean(list.q || list.filter);
    $('leads-table').hidden = leads.length === 0;
    $('leads-empty').hidden = leads.length !== 0 || searching;
    $('leads-none').hidden = leads.length !== 0 || !searching;
    $('leads-more').hidden = !list.nextCursor;
    $('leads-body').dataset.count = String(leads.length);
    updatedLine();
  }

  /** Starts the list again from its first page (a new search or filter). */
  function restartLeads() {
    list.shown = PAGE_SIZE;
    list.nextCursor = null;
    refreshLeads(renderToken);
  }

  let searchTimer = null;

  function searchChanged() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const q = $('leads-search').value.trim();
      if (q === list.q) return;
      list.q = q;
      restartLeads();
    }, SEARCH_DEBOUNCE_MS);
  }

  function filterChosen(event) {
    const button = event.target.closest('button[data-filter]');
    if (!button) return;
    list.filter = button.dataset.filter;
    for (const b of document.querySelectorAll('button[data-filter]')) {
      b.setAttribute('aria-pressed', String(b === button));
    }
    restartLeads();
  }

  function updatedLine() {
    $('leads-updated').textContent = 'Updated ' + new Date().toLocaleTimeString()
      + (live.up ? ' · live' : ' · reconnecting, checking every ' + POLL_MS / 1000 + ' s');
  }

  function leadRow(lead, last) {
    const href = '#/leads/' + encodeURIComponent(lead.id);
    const activity = lead.lastSmsAt || (last && last.createdAt) || lead.createdAt;
    const lastText = last
      ? el('span', null, el('span', { class: 'who' }, last.direction === 'inbound' ? 'Customer: ' : 'You: '), truncate(last.body, 90))
      : el('span', { class: 'muted' }, 'No messages');
    const row = el('tr', { class: 'lead-row', 'data-lead-id': lead.id, 'data-phone': lead.phoneNumber },
      el('td', null, el('a', { href, class: 'lead-link' }, leadName(lead)),
        lead.name ? el('div', { class: 'muted small' }, lead.phoneNumber) : null),
      el('td', null, badges(lead)),
      el('td', null, relativeTimeEl(activity)),
      el('td', { class: 'last-message' }, lastText));
    row.addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      location.hash = href;
    });
    return row;
  }

  // ------------------------------------------------------------------ lead page

  let currentLead = null;
  let threadSignature = null;

  /** The lead page: its lead alone ({@code GET api/leads/{id}}) and its history, side by side. */
  async function renderLead(id, token, first) {
    show('lead-view');
    if (first) {
      currentLead = null;
      threadSignature = null;
      $('lead-title').textContent = 'Lead ' + id;
      $('lead-badges').replaceChildren();
      $('ai-toggle').hidden = true;
      $('lead-meta').textContent = '';
      $('thread').replaceChildren();
      setError('send-error', '');
      setError('lead-error', '');
    }
    await Promise.all([refreshLeadInfo(id, token), refreshHistory(id, token, first)]);
  }

  function leadError(id, e) {
    if (e.status === 404) setError('lead-error', 'There is no lead ' + id + '.');
    else if (e.status !== 401) setError('lead-error', 'Could not load the conversation: ' + e.message);
  }

  async function refreshLeadInfo(id, token) {
    let lead;
    try {
      lead = (await api('api/leads/' + encodeURIComponent(id))).lead;
    } catch (e) {
      if (token === renderToken) leadError(id, e);
      return;
    }
    if (token !== renderToken) return;
    showLead(lead);
  }

  function showLead(lead) {
    currentLead = lead;
    renderLeadTools(lead);
    $('lead-title').textContent = leadName(lead);
    $('lead-badges').replaceChildren(badges(lead));
    const toggle = $('ai-toggle');
    toggle.hidden = lead.aiEnabled === undefined;
    toggle.textContent = aiActive(lead) ? 'Pause AI' : 'Resume AI';
    toggle.title = aiActive(lead) ? 'Stop AI replies to this customer until you resume them'
      : 'Let the AI answer this customer again';
    $('lead-meta').textContent = (leadName(lead) !== lead.phoneNumber ? lead.phoneNumber + ' · ' : '')
      + 'first contact ' + formatTime(lead.createdAt) + (lead.source ? ' · source: ' + lead.source : '');
    $('send-button').textContent = isWhatsApp(lead) ? 'Send WhatsApp' : 'Send SMS';
  }

  async function refreshHistory(id, token, first) {
    let history;
    try {
      history = await api('api/leads/' + encodeURIComponent(id) + '/sms');
    } catch (e) {
      if (token === renderToken) leadError(id, e);
      return;
    }
    if (token !== renderToken) return;
    setError('lead-error', '');
    const messages = history.messages || [];
    const signature = JSON.stringify(messages);
    if (signature === threadSignature) return;
    threadSignature = signature;
    const thread = $('thread');
    const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    thread.replaceChildren(...(messages.length ? messages.map(messageItem)
      : [el('li', { class: 'empty' }, 'No messages yet.')]));
    if (first || atBottom) thread.scrollTop = thread.scrollHeight;
  }

  const QUAL_FIELDS = ['name', 'service', 'address', 'urgency', 'preferredTime'];
  let qualDirty = false;

  function renderLeadTools(lead) {
    $('lead-tools').hidden = !lead;
    if (!lead) return;
    const state = $('ai-state');
    const pausedUntil = lead.aiPausedUntil ? new Date(lead.aiPausedUntil) : null;
    if (lead.aiEnabled) {
      state.textContent = 'On: the AI answers this customer. Texting them yourself pauses it for a while.';
      state.dataset.state = 'on';
    } else if (pausedUntil) {
      state.textContent = 'Paused until ' + pausedUntil.toLocaleString() + ': you are handling this conversation.';
      state.dataset.state = 'paused';
    } else {
      state.textContent = 'Off: the AI stays out of this conversation until you hand it back.';
      state.dataset.state = 'off';
    }
    $('ai-on').hidden = lead.aiEnabled;
    $('ai-pause').hidden = !lead.aiEnabled;
    $('ai-off').hidden = !lead.aiEnabled && !pausedUntil;
    renderAlerts(lead.alerts || []);
    // Never overwrite what staff are typing; fill the fields only when they are untouched.
    if (!qualDirty && !$('qual-form').contains(document.activeElement)) {
      const q = lead.qualification || {};
      for (const f of QUAL_FIELDS) $('q-' + f).value = q[f] || '';
    }
  }

  const ALERT_REASONS = { emergency: 'Emergency', handoff: 'Asked for a person', qualified: 'Fully qualified' };

  /** The owner alerts of the lead: reason, when, and whether the text went out (text nodes only: no HTML). */
  function renderAlerts(alerts) {
    const items = alerts.map(a => el('li', { class: 'alert-item', 'data-reason': a.reason, 'data-status': a.status },
      el('strong', {}, ALERT_REASONS[a.reason] || a.reason), ' · ',
      a.status === 'sent' ? el('span', {}, 'texted to the owner ', timeEl(a.sentAt, formatTime(a.sentAt)))
        : a.status === 'failed' ? el('span', { class: 'error-text', title: a.lastError || '' }, 'not sent: ' + (a.lastError || 'failed'))
          : el('span', { class: 'muted' }, 'sending… (since ' + formatTime(a.createdAt) + ')')));
    $('alerts-list').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'No alerts for this lead.')]));
  }

  async function switchAi(body) {
    if (!currentLead) return;
    setError('ai-error', '');
    try {
      const r = await api('api/leads/' + encodeURIComponent(currentLead.id) + '/ai', { json: body });
      showLead(r.lead);
    } catch (e) {
      if (e.status !== 401) setError('ai-error', 'Could not switch the AI: ' + e.message);
    }
  }

  async function saveQualification(event) {
    event.preventDefault();
    if (!currentLead) return;
    const qualification = {};
    for (const f of QUAL_FIELDS) {
      const v = $('q-' + f).value.trim();
      qualification[f] = v ? v : null;
    }
    setError('qual-error', '');
    try {
      const r = await api('api/leads/' + encodeURIComponent(currentLead.id), { method: 'PATCH', json: { qualification } });
      qualDirty = false;
      $('qual-saved').textContent = 'Saved ' + new Date().toLocaleTimeString();
      document.activeElement && document.activeElement.blur && document.activeElement.blur();
      showLead(r.lead);
    } catch (e) {
      if (e.status !== 401) setError('qual-error', 'Could not save: ' + e.message);
    }
  }

  // ------------------------------------------------------------------ budget notice (every page)

  let lastBudgetCheck = 0;

  /** The budget notice on every page: checked when a page opens, at most every BUDGET_CHECK_MS, not on each refresh. */
  function checkBudget() {
    if (Date.now() - lastBudgetCheck >= BUDGET_CHECK_MS) renderBudget();
  }

  async function renderBudget() {
    let s;
    try {
      s = await api('api/twilio/status');
    } catch (e) {
      return;
    }
    showBudget(s);
    return s;
  }

  function showBudget(s) {
    lastBudgetCheck = Date.now();
    const b = s.budget || {};
    const notice = $('budget-notice');
    notice.hidden = !b.reached;
    notice.textContent = b.reached
      ? 'Monthly budget reached ($' + Number(b.spentUsd).toFixed(2) + ' of $' + Number(b.monthlyUsd).toFixed(2)
        + '): customers get the fallback reply, not AI replies, until next month or until MONTHLY_BUDGET_USD is raised.'
      : '';
  }

  function messageItem(m) {
    const outbound = m.direction === 'outbound';
    const meta = el('div', { class: 'meta' });
    if (outbound) {
      // A refused message was never sent: show when it was written, without calling it sent.
      meta.append(el('span', null, m.sentAt ? 'Sent ' : ''), timeEl(m.sentAt || m.createdAt, formatTime(m.sentAt || m.createdAt)));
      meta.append(' · ', el('span', { class: 'status status-' + m.status, 'data-status': m.status }, STATUS_WORDS[m.status] || m.status));
      if (m.deliveredAt) meta.append(' · ', el('span', { class: 'delivered' }, 'delivered '), timeEl(m.deliveredAt, formatTime(m.deliveredAt)));
    } else {
      meta.append(el('span', null, 'Received '), timeEl(m.createdAt, formatTime(m.createdAt)));
    }
    const item = el('li', { class: 'msg ' + (outbound ? 'outbound' : 'inbound'), 'data-message-id': m.id, 'data-direction': m.direction },
      el('div', { class: 'who' }, outbound ? 'Front desk' : 'Customer'),
      el('p', { class: 'body' }, m.body || ''));
    (m.media || []).forEach((url, i) => {
      if (!/^https?:\/\//i.test(url)) return;
      const safe = /^https?:\/\//i.test(url) ? url : null;
      const img = el('img', { class: 'media-thumb', src: safe, alt: 'Photo ' + (i + 1) + ' from the customer', loading: 'lazy' });
      const link = el('a', { href: /^https?:\/\//i.test(url) ? url : null, target: '_blank', rel: 'noopener noreferrer', class: 'media', 'data-media-index': i }, img);
      // Media that cannot be shown (not an image, or behind Twilio's media authentication) stays a link.
      img.addEventListener('error', () => link.replaceChildren('Attachment ' + (i + 1)));
      item.append(link);
    });
    item.append(meta);
    if (m.errorCode) item.append(el('div', { class: 'msg-error' }, errorWords(m.errorCode)));
    return item;
  }

  async function toggleAi() {
    if (!currentLead || currentLead.aiEnabled === undefined) return;
    const button = $('ai-toggle');
    button.disabled = true;
    try {
      const r = await api('api/leads/' + encodeURIComponent(currentLead.id) + '/ai', { json: { enabled: !aiActive(currentLead) } });
      setError('lead-error', '');
      showLead(r.lead);
    } catch (e) {
      if (e.status !== 401) setError('lead-error', 'Could not switch the AI: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  let forceNext = false;

  async function sendMessage(event) {
    event.preventDefault();
    const text = $('send-text').value;
    if (!currentLead) return;
    if (!text.trim()) {
      setError('send-error', SEND_ERROR_WORDS.empty_message);
      return;
    }
    $('send-button').disabled = true;
    setError('send-error', '');
    $('quiet-confirm').hidden = true;
    try {
      await api('api/twilio/sms/outbound', { json: { leadId: currentLead.id, message: text, force: forceNext } });
      $('send-text').value = '';
      updateCount();
    } catch (e) {
      if (e.code === 'quiet_hours') {
        // Late or early for the customer: say so and let staff confirm, then send with "force".
        $('quiet-text').textContent = e.message.replace(/ Send again with "force": true to send anyway\.?$/, '') + ' Send it anyway?';
        $('quiet-confirm').hidden = false;
      } else if (e.status !== 401) {
        const words = SEND_ERROR_WORDS[e.code];
        setError('send-error', words || (e.code === 'twilio_error' ? 'Twilio refused the message: ' + e.message : e.message));
      }
    } finally {
      forceNext = false;
      $('send-button').disabled = false;
    }
    await renderLead(String(currentLead.id), renderToken, false);
    $('thread').scrollTop = $('thread').scrollHeight;
  }

  function updateCount() {
    $('send-count').textContent = $('send-text').value.length + ' / 1600';
  }

  // ------------------------------------------------------------------ settings page

  async function renderSettings(token) {
    show('settings-view');
    let s;
    try {
      s = await api('api/twilio/status');
    } catch (e) {
      if (e.status !== 401) setError('settings-error', 'Could not load the settings: ' + e.message);
      return;
    }
    if (token !== renderToken) return;
    setError('settings-error', '');
    const status = $('twilio-status');
    status.textContent = s.configured ? 'Configured' : 'Not configured';
    status.className = s.configured ? 'ok' : 'warn';
    const missing = s.missing || [];
    $('twilio-missing').textContent = missing.length ? missing.join(', ') : 'None';
    $('twilio-mode').textContent = s.mode === 'production' ? 'PRODUCTION' : 'TEST (messages only go to verified numbers)';
    $('twilio-phone').textContent = s.phoneNumber || '—';
    $('inbound-url').textContent = s.inboundWebhookUrl || '';
    $('status-url').textContent = s.statusCallbackUrl || '';
    $('voice-url').textContent = s.voiceWebhookUrl || '';
    const ai = s.ai || {};
    $('ai-status').textContent = ai.configured ? 'Configured' : 'Not configured: customers get the fallback reply (set OPENAI_API_KEY, or AI_PROVIDER and its key)';
    $('ai-status').className = ai.configured ? 'ok' : 'warn';
    $('ai-provider').textContent = ai.provider || '—';
    $('ai-model').textContent = ai.model || '—';
    const b = s.budget || {};
    $('budget-spent').textContent = '$' + Number(b.spentUsd || 0).toFixed(4);
    $('budget-limit').textContent = b.monthlyUsd === null || b.monthlyUsd === undefined
      ? 'None (set MONTHLY_BUDGET_USD)'
      : '$' + Number(b.monthlyUsd).toFixed(2) + (b.reached ? ' (reached: fallback replies only)' : '');
    $('budget-limit').className = b.reached ? 'warn' : '';
    try {
      const u = await api('api/usage');
      const t = u.totals || {};
      $('usage-30').textContent = t.inbound + ' in, ' + t.outbound + ' out, ' + t.segments + ' segments, '
        + t.aiCalls + ' AI calls, about $' + Number(t.estimatedCost || 0).toFixed(4);
    } catch (e) {
      $('usage-30').textContent = '—';
    }
    showBudget(s);
    try {
      const [pending, failed] = await Promise.all([api('api/events?status=pending&limit=' + EVENTS_SHOWN),
        api('api/events?status=failed&limit=' + EVENTS_SHOWN)]);
      if (token !== renderToken) return;
      showEvents(pending, failed);
    } catch (e) {
      $('events-status').textContent = '—';
      $('events-deliveries').textContent = '—';
    }
  }

  /**
   * The event webhooks' line: off, on with nothing failing, or how many deliveries the CRM refused (still retried, or
   * given up on after 24 hours) and the newest reason, so staff see a CRM that stopped accepting.
   */
  function showEvents(pending, failed) {
    const status = $('events-status');
    const deliveries = $('events-deliveries');
    if (!pending.enabled) {
      status.textContent = 'Off (set EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET to post lead events to your CRM)';
      status.className = '';
      deliveries.textContent = '—';
      deliveries.className = '';
      return;
    }
    const retrying = (pending.events || []).filter(e => e.lastError);
    const waiting = (pending.events || []).length - retrying.length;
    const givenUp = failed.events || [];
    const count = (n, one, many) => (n >= EVENTS_SHOWN ? EVENTS_SHOWN + ' or more ' + many : n === 1 ? '1 ' + one : n + ' ' + many);
    if (!retrying.length && !givenUp.length) {
      status.textContent = 'On';
      status.className = 'ok';
      deliveries.textContent = 'None failing' + (waiting ? ', ' + count(waiting, 'event', 'events') + ' on the way' : '');
      deliveries.className = '';
      return;
    }
    const parts = [];
    if (retrying.length) parts.push(count(retrying.length, 'delivery', 'deliveries') + ' failing (retried for 24 hours)');
    if (givenUp.length) parts.push(count(givenUp.length, 'delivery', 'deliveries') + ' given up');
    const newest = [...retrying, ...givenUp].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
    status.textContent = 'On, but the receiver is not accepting';
    status.className = 'warn';
    deliveries.textContent = parts.join(', ') + ', last error: ' + newest.lastError;
    deliveries.className = 'warn';
  }

  // ------------------------------------------------------------------ live updates

  /**
   * GET api/events/stream, read with fetch() because EventSource cannot send the key: Server-Sent Events frames
   * are parsed here. Each change is handed to the page shown; when the stream ends it is opened again with backoff,
   * and while it is down the page falls back to asking every POLL_MS. While it is up nothing polls.
   */
  const live = { wanted: false, up: false, everUp: false, ctrl: null, delay: RECONNECT_FIRST_MS, reconnect: null,
    poll: null, watchdog: null, lastData: 0 };

  function startLive() {
    if (live.wanted) return;
    live.wanted = true;
    live.watchdog = setInterval(() => {
      if (live.up && Date.now() - live.lastData > STREAM_SILENCE_MS && live.ctrl) live.ctrl.abort();
    }, 5000);
    startPoll(); // until the stream is up
    connectLive();
  }

  function stopLive() {
    live.wanted = false;
    clearTimeout(live.reconnect);
    clearInterval(live.watchdog);
    live.reconnect = null;
    stopPoll();
    if (live.ctrl) live.ctrl.abort();
    live.ctrl = null;
    live.up = false;
    liveIndicator();
  }

  async function connectLive() {
    live.reconnect = null;
    if (!live.wanted || !apiKey()) return;
    const ctrl = new AbortController();
    live.ctrl = ctrl;
    liveIndicator();
    let response;
    try {
      response = await fetch('api/events/stream', {
        headers: { 'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + apiKey() },
        cache: 'no-store', signal: ctrl.signal });
    } catch (e) {
      liveEnded(ctrl, 0);
      return;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      askForKey('The key was not accepted. Enter FRONTDESK_API_KEY again.');
      return;
    }
    if (!response.ok || !response.body) {
      // 503 when the app already serves its most streams, or is stopping: it says when to come back.
      const retryAfter = Number(response.headers.get('Retry-After'));
      liveEnded(ctrl, retryAfter > 0 ? retryAfter * 1000 : 0);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const frame = { rest: '', event: '', data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || ctrl !== live.ctrl) break;
        live.lastData = Date.now();
        if (!live.up) liveStarted();
        readFrames(frame, decoder.decode(value, { stream: true }));
      }
    } catch (e) {
      // cut, aborted by the watchdog or by stopLive()
    }
    liveEnded(ctrl, 0);
  }

  /** Feeds text to the SSE parser: lines of "field: value", a blank line ends an event, ":" starts a comment. */
  function readFrames(frame, text) {
    const lines = (frame.rest + text).split(/\r\n|\n|\r(?!$)/);
    frame.rest = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (frame.data.length) liveEvent(frame.event || 'message', frame.data.join('\n'));
        frame.event = '';
        frame.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data.push(value);
    }
  }

  function liveEvent(type, data) {
    let change;
    try {
      change = JSON.parse(data);
    } catch (e) {
      return;
    }
    if ((type === 'lead' || type === 'message') && change && page.onChange) page.onChange(type, change);
  }

  function liveStarted() {
    live.up = true;
    live.delay = RECONNECT_FIRST_MS;
    stopPoll();
    liveIndicator();
    // Changes made while the stream was down were not seen: catch up once.
    if (live.everUp && page.refresh) page.refresh();
    live.everUp = true;
  }

  function liveEnded(ctrl, atLeast) {
    if (ctrl !== live.ctrl) return;
    live.ctrl = null;
    live.up = false;
    liveIndicator();
    if (!live.wanted) return;
    startPoll();
    const wait = Math.max(atLeast, live.delay) * (0.8 + Math.random() * 0.4);
    live.delay = Math.min(live.delay * 2, RECONNECT_MAX_MS);
    live.reconnect = setTimeout(connectLive, wait);
  }

  function liveIndicator() {
    const node = $('live-status');
    node.hidden = !live.wanted;
    node.dataset.state = live.up ? 'live' : live.ctrl ? 'connecting' : live.wanted ? 'down' : 'off';
    node.textContent = live.up ? 'Live' : live.ctrl && !live.everUp ? 'Connecting…' : 'Reconnecting…';
    node.title = live.up ? 'Changes appear as they happen'
      : 'Live updates are down; the page checks every ' + POLL_MS / 1000 + ' s until they are back';
    if (!$('leads-view').hidden && list.signature !== null) updatedLine();
  }

  function startPoll() {
    if (live.poll) return;
    live.poll = setInterval(() => {
      if (document.visibilityState !== 'hidden' && page.refresh) page.refresh();
    }, POLL_MS);
  }

  function stopPoll() {
    clearInterval(live.poll);
    live.poll = null;
  }

  /** Calls fn once for a burst of calls: EVENT_COALESCE_MS after the first, and at least REFRESH_MIN_GAP_MS apart. */
  function coalesced(fn) {
    let timer = null;
    let last = 0;
    return () => {
      if (timer) return;
      const wait = Math.max(EVENT_COALESCE_MS, last + REFRESH_MIN_GAP_MS - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, wait);
    };
  }

  // ------------------------------------------------------------------ routing

  function stopUpdates() {
    stopLive();
    page = { refresh: null, onChange: null };
  }

  function route() {
    if (!apiKey()) {
      askForKey('');
      return;
    }
    const token = ++renderToken;
    const hash = location.hash || '#/leads';
    const lead = hash.match(/^#\/leads\/([^/]+)$/);
    if (lead) {
      const id = decodeURIComponent(lead[1]);
      const info = coalesced(() => refreshLeadInfo(id, token));
      const history = coalesced(() => refreshHistory(id, token, false));
      page = {
        refresh: () => renderLead(id, token, false),
        onChange: (type, change) => {
          if (String(change.leadId) !== String(id)) return;
          if (type === 'message') history();
          else info();
        },
      };
      renderLead(id, token, true);
    } else if (hash === '#/settings') {
      page = { refresh: null, onChange: null };
      renderSettings(token);
    } else {
      show('leads-view');
      const again = coalesced(() => refreshLeads(token));
      page = { refresh: () => refreshLeads(token), onChange: again };
      refreshLeads(token);
    }
    if (hash !== '#/settings') checkBudget();
    startLive();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', submitKey);
    $('send-form').addEventListener('submit', sendMessage);
    $('ai-toggle').addEventListener('click', toggleAi);
    $('quiet-send').addEventListener('click', () => {
      forceNext = true;
      $('send-form').requestSubmit();
    });
    $('quiet-cancel').addEventListener('click', () => { $('quiet-confirm').hidden = true; });
    $('ai-pause').addEventListener('click', () => switchAi({ enabled: false, minutes: 120 }));
    $('ai-off').addEventListener('click', () => switchAi({ enabled: false }));
    $('ai-on').addEventListener('click', () => switchAi({ enabled: true }));
    $('qual-form').addEventListener('submit', saveQualification);
    $('qual-form').addEventListener('input', () => { qualDirty = true; $('qual-saved').textContent = ''; });
    $('send-text').addEventListener('input', updateCount);
    $('send-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('send-form').requestSubmit();
    });
    $('leads-search').addEventListener('input', searchChanged);
    $('leads-search').addEventListener('search', searchChanged);
    document.querySelector('.filters').addEventListener('click', filterChosen);
    $('leads-more').addEventListener('click', () => loadMoreLeads(renderToken));
    setInterval(refreshTimes, TIMES_MS);
    setInterval(() => { if (apiKey() && $('settings-view').hidden) checkBudget(); }, BUDGET_CHECK_MS);
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(KEY_STORAGE);
      askForKey('');
    });
    window.addEventListener('hashchange', route);
    route();
  });
})();
