/* Huoban console: charts (Chart.js, served by the app) and the weight preview. */
(function () {
  "use strict";
  const csrf = () => document.querySelector("input[name=csrf_token]")?.value || "";

  function dashboard() {
    const raw = document.getElementById("dashboard-data");
    if (!raw || typeof Chart === "undefined") return;
    const data = JSON.parse(raw.textContent);
    if (document.getElementById("acceptance")) new Chart(document.getElementById("acceptance"), {
      type: "line",
      data: {
        labels: data.series.map((p) => p.period),
        datasets: [{ label: data.labels.rate, data: data.series.map((p) => p.rate), tension: 0.25, borderColor: "#c2410c" }],
      },
      options: { responsive: true, scales: { y: { min: 0, max: 1 } }, plugins: { legend: { display: false } } },
    });
    const loads = Object.keys(data.load).sort((a, b) => Number(a) - Number(b));
    if (document.getElementById("load")) new Chart(document.getElementById("load"), {
      type: "bar",
      data: { labels: loads.map((l) => l + " " + data.labels.mentees), datasets: [{ label: data.labels.mentors, data: loads.map((l) => data.load[l]), backgroundColor: "#1f2933" }] },
      options: { responsive: true, plugins: { legend: { display: false } } },
    });
  }

  function weights() {
    const form = document.getElementById("weights-form");
    if (!form) return;
    form.querySelectorAll("input[type=range]").forEach((input) => {
      input.addEventListener("input", () => { input.nextElementSibling.value = Number(input.value).toFixed(2); });
    });
    document.getElementById("preview-button").addEventListener("click", async () => {
      const body = { weights: {}, diversity: Number(form.elements.diversity.value) };
      form.querySelectorAll("input[data-weight]").forEach((i) => { body.weights[i.dataset.weight] = Number(i.value); });
      const res = await fetch(form.dataset.preview, {
        method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), Accept: "application/json" },
        body: JSON.stringify(body), credentials: "same-origin",
      });
      const out = await res.json();
      const box = document.getElementById("preview");
      box.hidden = false;
      if (!res.ok) { box.querySelector("#overlap").textContent = out.detail || res.status; return; }
      box.querySelector("#overlap").textContent = (out.mean_overlap * 100).toFixed(0) + "%";
      box.querySelector("#shift").textContent = out.mean_rank_shift.toFixed(2);
      const k = "ndcg@" + out.k;
      const fmt = (m) => (m && m[k] !== undefined ? m[k].toFixed(3) : "–") + " (" + out.offline.lists + ")";
      box.querySelector("#offline-current").textContent = fmt(out.offline.current);
      box.querySelector("#offline-proposed").textContent = fmt(out.offline.proposed);
      const tbody = box.querySelector("tbody");
      tbody.replaceChildren();
      out.projects.forEach((p) => p.moves.slice(0, 4).forEach((m) => {
        const tr = document.createElement("tr");
        [p.project_name, m.name, m.before ?? "–", m.after ?? "–"].forEach((v) => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
        tbody.appendChild(tr);
      }));
    });
  }

  window.huoban = { dashboard, weights };
})();
