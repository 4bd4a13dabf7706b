// The live log console: new lines arrive over a socket (rendered by the server, escaped there)
// and are put on top; the filters the server applied to the first lines are applied to the new
// ones here; pause holds new lines until resumed; search hides the lines held that do not match.
(function () {
  "use strict";

  var MAX_LINES = 2000;  // the oldest lines go beyond this: a console left open stays light
  var list = document.getElementById("log-lines");
  if (!list) { return; }
  var form = document.getElementById("logs-filters");
  var search = document.getElementById("logs-search");
  var pauseButton = document.getElementById("logs-pause");
  var status = document.getElementById("logs-status");
  var lang = document.documentElement.lang || "en";
  var paused = false;
  var held = [];
  var online = false;
  var retry = 1000;

  function setStatus() {
    var state = !online ? "offline" : paused ? "paused" : "live";
    var text = status.dataset[state] || "";
    if (paused && held.length) {
      text += " · " + status.dataset.held.replace("{n}", held.length);
    }
    status.textContent = text;
    status.className = "logs-status logs-" + state;
  }

  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = when.toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit",
                                                         second: "2-digit", hour12: false});
        el.title = when.toLocaleString(lang);
      }
    });
  }

  // The same filters as the server's (database/live_log.py) for the lines pushed later.
  function wanted(line) {
    var level = form.elements.level.value;
    var kind = form.elements.kind.value.trim();
    var channel = form.elements.channel.value;
    var conversation = form.elements.conversation.value.trim();
    if (level === "warning" && line.dataset.level === "info") { return false; }
    if (level === "error" && line.dataset.level !== "error") { return false; }
    if (kind && line.dataset.kind.indexOf(kind) !== 0) { return false; }
    if (channel && line.dataset.channel !== channel) { return false; }
    return !conversation || line.dataset.conversation === conversation;
  }

  function searched(line) {
    var text = search.value.trim().toLowerCase();
    line.hidden = Boolean(text) && line.textContent.toLowerCase().indexOf(text) === -1;
  }

  function show(lines) {
    var fragment = document.createDocumentFragment();
    lines.forEach(function (line) { searched(line); fragment.appendChild(line); });
    list.insertBefore(fragment, list.firstChild);
    while (list.children.length > MAX_LINES) { list.removeChild(list.lastElementChild); }
  }

  function received(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = Array.prototype.filter.call(template.content.querySelectorAll("li.log-line"),
      function (line) {
        return !document.getElementById(line.id) && !held.some(function (h) {
          return h.id === line.id;
        }) && wanted(line);
      });
    if (!fresh.length) { return; }
    localTimes(template.content);
    if (paused) {
      held = fresh.concat(held);
      setStatus();
    } else {
      show(fresh);
    }
  }

  // The newest line held (shown or paused): the socket first sends what came after it.
  function newestId() {
    var newest = 0;
    held.concat(Array.prototype.slice.call(list.querySelectorAll("li.log-line")))
      .forEach(function (line) { newest = Math.max(newest, parseInt(line.dataset.id, 10) || 0); });
    return newest;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + list.dataset.socket +
                               "?after=" + newestId());
    socket.onopen = function () { online = true; retry = 1000; setStatus(); };
    socket.onmessage = function (event) { received(event.data); };
    socket.onclose = function () {
      online = false;
      setStatus();
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  pauseButton.addEventListener("click", function () {
    paused = !paused;
    pauseButton.textContent = paused ? pauseButton.dataset.resume : pauseButton.dataset.pause;
    pauseButton.setAttribute("aria-pressed", String(paused));
    if (!paused && held.length) {
      show(held);
      held = [];
    }
    setStatus();
  });

  search.addEventListener("input", function () {
    list.querySelectorAll("li.log-line").forEach(searched);
  });

  // New filters: the server sends the first lines again; lines held were for the old ones.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== list) { return; }
    // The address keeps the filters: a reload or a shared link shows the same lines.
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value) { params.append(name, value); }
    });
    var query = params.toString();
    history.replaceState(null, "", form.action + (query ? "?" + query : ""));
    held = [];
    localTimes(list);
    list.querySelectorAll("li.log-line").forEach(searched);
    setStatus();
  });

  localTimes(list);
  connect();
}());
