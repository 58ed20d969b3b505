// Draws the report charts from the JSON the page carries in
// #report-charts[data-charts]; numbers in the page's locale (pt-BR by
// default: 1.234,5 and R$). Chart.js is served by Torque (chart.umd.min.js).
(function () {
  'use strict';
  function draw() {
    var holder = document.getElementById('report-charts');
    if (!holder || typeof window.Chart === 'undefined') { return; }
    var data = JSON.parse(holder.getAttribute('data-charts') || '{}');
    var locale = holder.getAttribute('data-locale') || 'pt-BR';
    var num = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    var money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' });
    var palette = ['#3a6ea5', '#e07a1f', '#5a9e4b', '#b5485d', '#7b5ea7', '#2a9d8f'];
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var c = data[canvas.getAttribute('data-chart')];
      if (!c || !c.labels || c.labels.length === 0) { return; }
      var fmt = function (v) { return c.money ? money.format(v) : num.format(v); };
      var horizontal = c.kind === 'hbar';
      var chart = new window.Chart(canvas, {
        type: c.kind === 'line' ? 'line' : 'bar',
        data: {
          labels: c.labels,
          datasets: c.series.map(function (s, i) {
            return { label: s.name, data: s.values, backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length], tension: 0.25 };
          })
        },
        options: {
          animation: false, maintainAspectRatio: false, indexAxis: horizontal ? 'y' : 'x', locale: locale,
          plugins: { legend: { display: c.series.length > 1 }, tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ': ' + fmt(horizontal ? ctx.parsed.x : ctx.parsed.y);
          } } } },
          scales: horizontal ? { x: { ticks: { callback: fmt } } } : { y: { ticks: { callback: fmt } } }
        }
      });
      canvas.setAttribute('data-drawn', String(chart.data.labels.length));
    });
    holder.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', draw); } else { draw(); }
})();
