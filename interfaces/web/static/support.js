// Live chat over one WebSocket to the API, authenticated by the session
// cookie; resumes after the last message id it saw when the connection
// drops. No inline script (CSP script-src 'self').
//
// Markup: <section id="chat" data-socket="/api/v1/workshops/{slug}/chat"
// data-conversation="{id}" data-after="{last id}" data-label-*> with
// #chat-log, #chat-status, #chat-form and #chat-text inside. The staff inbox
// names the conversation; the car owner's widget (data-socket
// "/api/v1/portal/{slug}/chat") leaves data-conversation empty and writes
// in their own conversation.
(function () {
  'use strict';
  var box = document.getElementById('chat');
  if (!box || !window.WebSocket) return;
  var log = document.getElementById('chat-log');
  var form = document.getElementById('chat-form');
  var input = document.getElementById('chat-text');
  var status = document.getElementById('chat-status');
  var conversation = box.getAttribute('data-conversation') || '';
  var last = parseInt(box.getAttribute('data-after') || '0', 10) || 0;
  var labels = {
    customer: box.getAttribute('data-label-customer'),
    staff: box.getAttribute('data-label-staff'),
    system: box.getAttribute('data-label-system')
  };
  var sock = null, pinger = null, retry = 500, seq = 0;

  function add(m) {
    if (m.id <= last || (conversation && m.conversation_id !== conversation)) return;
    last = m.id;
    var li = document.createElement('li');
    li.className = 'chat-msg from-' + m.author;
    li.setAttribute('data-id', String(m.id));
    var who = document.createElement('span');
    who.className = 'chat-author';
    who.textContent = labels[m.author] || m.author;
    var text = document.createElement('span');
    text.className = 'chat-text';
    text.textContent = m.text; // never innerHTML: the text is the customer's
    li.appendChild(who);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(text);
    log.appendChild(li);
    li.scrollIntoView({ block: 'end' });
  }

  function connect() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + box.getAttribute('data-socket') + '?after=' + last;
    sock = new WebSocket(url);
    sock.onopen = function () {
      retry = 500;
      status.hidden = true;
      box.setAttribute('data-connected', 'true');
      pinger = setInterval(function () { if (sock.readyState === 1) sock.send('{"type":"ping"}'); }, 30000);
    };
    sock.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f.type === 'message') add(f);
    };
    sock.onclose = function () {
      box.removeAttribute('data-connected');
      clearInterval(pinger);
      status.hidden = false;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text || !sock || sock.readyState !== 1) return;
    seq += 1;
    var frame = { type: 'message', text: text, client_id: 'w' + seq };
    if (conversation) frame.conversation_id = conversation;
    sock.send(JSON.stringify(frame));
    input.value = '';
  });
  connect();
})();
