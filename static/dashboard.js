// The dashboard's charts: drawn once, then updated in place whenever htmx swaps in fresh
// figures (the fragment carries them as JSON), so the page never reloads.
(function () {
  "use strict";

  const charts = {};
  const COLORS = ["#0172ad", "#d93526", "#2a9d8f", "#e9c46a", "#8e44ad", "#f4a261",
                  "#264653", "#7f8c8d", "#c0392b", "#16a085"];

  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function hourLabel(iso) {
    // "2026-12-01T14:00:00+00:00" → "12-01 14h": short enough for a phone's axis.
    return iso.slice(5, 10) + " " + iso.slice(11, 13) + "h";
  }

  function datasets(data, words) {
    return {
      messages: {
        labels: data.per_hour.map((h) => hourLabel(h.hour)),
        datasets: [
          {label: words.inbound, data: data.per_hour.map((h) => h.inbound),
           borderColor: COLORS[0], backgroundColor: COLORS[0], tension: 0.25, pointRadius: 0},
          // Dashed: replies often match the questions hour by hour and would hide them.
          {label: words.outbound, data: data.per_hour.map((h) => h.outbound),
           borderColor: COLORS[2], backgroundColor: COLORS[2], tension: 0.25, pointRadius: 0,
           borderDash: [6, 4]},
        ],
      },
      channels: {
        labels: Object.keys(data.channels).map((code) => data.names.channels[code] || code),
        datasets: [
          {label: words.inbound, backgroundColor: COLORS[0],
           data: Object.values(data.channels).map((c) => c.inbound)},
          {label: words.outbound, backgroundColor: COLORS[2],
           data: Object.values(data.channels).map((c) => c.outbound)},
        ],
      },
      categories: {
        labels: Object.keys(data.categories).map((code) => data.names.categories[code] || code),
        datasets: [{data: Object.values(data.categories).map((c) => c.count),
                    backgroundColor: Object.keys(data.categories).map(
                      (_name, i) => COLORS[i % COLORS.length])}],
      },
    };
  }

  const TYPES = {messages: "line", channels: "bar", categories: "doughnut"};

  function draw() {
    const data = readJSON("dashboard-data");
    const words = readJSON("chart-labels");
    if (!data || !words || typeof Chart === "undefined") return;
    const fresh = datasets(data, words);
    for (const name of Object.keys(TYPES)) {
      const canvas = document.getElementById("chart-" + name);
      if (!canvas) continue;
      if (charts[name]) {
        charts[name].data.labels = fresh[name].labels;
        fresh[name].datasets.forEach((set, i) => {
          Object.assign(charts[name].data.datasets[i], {data: set.data,
                                                        backgroundColor: set.backgroundColor});
        });
        charts[name].update("none");
      } else {
        charts[name] = new Chart(canvas, {
          type: TYPES[name], data: fresh[name],
          options: {
            responsive: true, maintainAspectRatio: false, animation: false,
            plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}},
            scales: TYPES[name] === "doughnut" ? {} : {
              y: {beginAtZero: true, ticks: {precision: 0}},
              x: {ticks: {maxRotation: 0, autoSkip: true, maxTicksLimit: 8}},
            },
          },
        });
      }
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  // Fresh figures were swapped in (an outerHTML swap: the new element settles).
  document.addEventListener("htmx:afterSettle", draw);
})();
