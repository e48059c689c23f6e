// jqueue admin dashboard. Every text from the server goes into the page as text (textContent),
// never as HTML: queue names, ids and error messages are data from the broker, not markup.
'use strict';

(function () {
  const REFRESH_MS = 2000;
  const MAX_DEPTH_SERIES = 8;
  const COLORS = ['#2f6fdf', '#e8710a', '#1e8e3e', '#9334e6', '#c0392b', '#12a4af', '#b7791f',
    '#5f6368'];

  const SERIES = ['depth', 'inFlight', 'delayed', 'publishRate', 'ackRate'];

  const state = {
    selected: null, info: null, charts: {}, chartKeys: {}, purgeTimer: null,
    history: { t: [], queues: {}, capacity: 0, last: 0 },
  };
  const $ = (id) => document.getElementById(id);

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function number(n, digits) {
    return n == null ? '–' : Number(n).toFixed(digits);
  }

  function millis(ms, count) {
    if (!count) {
      return '–';
    }
    return ms < 1 ? (ms * 1000).toFixed(0) + 'µs' : ms < 1000 ? ms.toFixed(1) + 'ms'
      : (ms / 1000).toFixed(2) + 's';
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok && !path.startsWith('/health')) {
      throw new Error(body.error || response.statusText);
    }
    return body;
  }

  function showError(message) {
    const p = $('error');
    p.textContent = message || '';
    p.hidden = !message;
  }

  function renderQueues(queues) {
    const body = $('queues').tBodies[0];
    const rows = [];
    for (const q of queues) {
      const tr = document.createElement('tr');
      tr.dataset.queue = q.name;
      tr.appendChild(cell(q.name, 'name'));
      tr.appendChild(cell(String(q.depth), 'depth'));
      tr.appendChild(cell(String(q.inFlight), 'in-flight'));
      tr.appendChild(cell(String(q.delayed), 'delayed'));
      const dlq = cell('', 'dlq' + (q.dlq > 0 ? ' has-dlq' : ''));
      const view = document.createElement('button');
      view.type = 'button';
      view.className = 'view-dlq';
      view.textContent = String(q.dlq);
      view.title = 'show the dead letters of this queue';
      view.addEventListener('click', () => selectQueue(q.name));
      dlq.appendChild(view);
      tr.appendChild(dlq);
      tr.appendChild(cell(number(q.publishRate, 1), 'publish-rate'));
      tr.appendChild(cell(number(q.ackRate, 1), 'ack-rate'));
      tr.appendChild(cell(millis(q.p50Millis, q.latencyCount), 'p50'));
      tr.appendChild(cell(millis(q.p99Millis, q.latencyCount), 'p99'));
      tr.appendChild(cell(String(q.consumers), 'consumers'));
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    $('no-queues').hidden = queues.length > 0;
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function chart(id, key, series, data) {
    const target = $(id);
    if (typeof uPlot === 'undefined') {
      return;
    }
    if (!state.charts[id] || state.chartKeys[id] !== key) {
      if (state.charts[id]) {
        state.charts[id].destroy();
      }
      const options = {
        width: Math.max(300, target.clientWidth - 4),
        height: 220,
        series: [{}].concat(series.map((label, i) => ({
          label: label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false,
        }))),
        axes: [{}, { size: 50 }],
        scales: { x: { time: true } },
        legend: { live: false },
      };
      state.charts[id] = new uPlot(options, data, target);
      state.chartKeys[id] = key;
    } else {
      state.charts[id].setData(data);
    }
    target.dataset.samples = String(data[0].length);
    target.dataset.updated = String(Date.now());
  }

  // Appends the samples the server sent (only those after the last one we have) to ours, drops
  // queues the server no longer has, and keeps at most the server's capacity.
  function mergeHistory(h) {
    if (h.last < state.history.last) { // the server restarted: start over
      state.history = { t: [], queues: {}, capacity: 0, last: 0 };
    }
    const local = state.history;
    local.capacity = h.capacity;
    local.last = h.last;
    if (h.t.length === 0) {
      return;
    }
    const before = local.t.length;
    local.t.push(...h.t);
    for (const name of Object.keys(local.queues)) {
      if (!Object.prototype.hasOwnProperty.call(h.queues, name)) {
        delete local.queues[name];
      }
    }
    for (const [name, q] of Object.entries(h.queues)) {
      if (!Object.prototype.hasOwnProperty.call(local.queues, name)) {
        local.queues[name] = {};
        for (const s of SERIES) {
          local.queues[name][s] = new Array(before).fill(null);
        }
      }
      for (const s of SERIES) {
        local.queues[name][s].push(...q[s]);
      }
    }
    const excess = local.t.length - local.capacity;
    if (excess > 0) {
      local.t.splice(0, excess);
      for (const q of Object.values(local.queues)) {
        for (const s of SERIES) {
          q[s].splice(0, excess);
        }
      }
    }
  }

  function renderCharts(history) {
    const t = history.t.map((ms) => ms / 1000);
    const names = Object.keys(history.queues).slice(0, MAX_DEPTH_SERIES);
    // ready + in flight + retrying: with prefetch, a consumer leases what is ready at once
    const total = (q) => q.depth.map((d, i) => (d == null ? null
      : d + (q.inFlight[i] || 0) + (q.delayed[i] || 0)));
    chart('chart-depth', JSON.stringify(names), names,
      [t].concat(names.map((n) => total(history.queues[n]))));
    const publish = t.map(() => 0);
    const ack = t.map(() => 0);
    for (const q of Object.values(history.queues)) {
      q.publishRate.forEach((v, i) => { publish[i] += v || 0; });
      q.ackRate.forEach((v, i) => { ack[i] += v || 0; });
    }
    chart('chart-rates', 'rates', ['publish/s', 'ack/s'], [t, publish, ack]);
  }

  async function renderHealth() {
    const health = await getJson('/health');
    const badge = $('health');
    badge.textContent = health.status;
    badge.className = 'badge ' + health.status;
    badge.title = health.reason || '';
  }

  function selectQueue(name) {
    disarm($('purge')); // an armed purge was meant for the queue shown before
    state.selected = name;
    window.history.replaceState(null, '', '#dlq=' + encodeURIComponent(name));
    $('dlq').hidden = false;
    $('dlq-queue').textContent = name;
    $('dlq-status').textContent = '';
    refreshDeadLetters().catch((e) => showError('dead letters of ' + name + ': ' + e.message));
  }

  async function refreshDeadLetters() {
    const queue = state.selected;
    if (queue == null) {
      return;
    }
    const data = await getJson('/api/queues/' + encodeURIComponent(queue) + '/dead-letters');
    if (state.selected !== queue) {
      return;
    }
    $('dlq-count').textContent = String(data.count);
    const rows = data.letters.map((d) => {
      const tr = document.createElement('tr');
      tr.dataset.id = d.id;
      tr.appendChild(cell(d.id, 'id'));
      tr.appendChild(cell(d.reason, 'reason'));
      tr.appendChild(cell(String(d.attempts), 'attempts'));
      tr.appendChild(cell(d.errorClass ? d.errorClass + ': ' + d.errorMessage : d.errorMessage,
        'error-message'));
      tr.appendChild(cell(d.deadLetteredAt || '', 'dead-lettered-at'));
      tr.appendChild(cell(d.payload == null ? '' : d.payload, 'payload-col'));
      return tr;
    });
    $('letters').tBodies[0].replaceChildren(...rows);
  }

  async function mutate(action) {
    const queue = state.selected;
    const status = $('dlq-status');
    const token = $('token').value;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    const response = await fetch('/api/queues/' + encodeURIComponent(queue) + '/dead-letters/'
      + action, { method: 'POST', headers: headers, body: '{}' });
    const body = await response.json();
    if (response.ok) {
      status.className = 'done';
      status.textContent = action === 'redrive'
        ? 'moved ' + body.redriven + ' dead letter(s) back to ' + queue
        : 'purged ' + body.purged + ' dead letter(s)';
    } else {
      status.className = 'refused';
      status.textContent = 'refused (' + response.status + '): ' + body.error;
    }
    await refresh();
  }

  function disarm(button) {
    clearTimeout(state.purgeTimer);
    state.purgeTimer = null;
    button.classList.remove('armed');
    button.textContent = 'Purge';
  }

  function armPurge(button) {
    if (button.classList.contains('armed')) {
      disarm(button);
      mutate('purge').catch((e) => showError(e.message));
      return;
    }
    button.classList.add('armed');
    button.textContent = 'Click again to purge';
    state.purgeTimer = setTimeout(() => disarm(button), 5000);
  }

  async function refresh() {
    try {
      const [queues, history] = await Promise.all([getJson('/api/queues'),
        getJson('/api/history?since=' + state.history.last)]);
      renderQueues(queues.queues);
      mergeHistory(history);
      renderCharts(state.history);
      await renderHealth();
      await refreshDeadLetters();
      showError('');
    } catch (e) {
      showError('cannot reach the admin server: ' + e.message);
    }
  }

  async function start() {
    state.info = await getJson('/api/info');
    $('broker').textContent = state.info.broker;
    if (!state.info.mutations) {
      $('token').disabled = true;
      $('token').placeholder = 'redrive and purge are off (no token set)';
    }
    if (!state.info.showPayloads) {
      $('letters').classList.add('hide-payload');
    }
    // the token stays in this page: Enter in its field submits nothing anywhere
    $('token-form').addEventListener('submit', (e) => e.preventDefault());
    $('redrive').addEventListener('click', () => mutate('redrive').catch((e) => showError(e.message)));
    $('purge').addEventListener('click', (e) => armPurge(e.currentTarget));
    $('dlq-close').addEventListener('click', () => {
      state.selected = null;
      $('dlq').hidden = true;
      window.history.replaceState(null, '', location.pathname);
    });
    if (location.hash.startsWith('#dlq=')) { // a link to one queue's dead letters
      try {
        selectQueue(decodeURIComponent(location.hash.substring(5)));
      } catch (e) {
        showError('bad link: ' + e.message);
      }
    }
    await refresh();
    setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener('DOMContentLoaded', () => {
    start().catch((e) => showError('cannot start the dashboard: ' + e.message));
  });
}());
