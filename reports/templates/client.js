// Draws every chart of the page from the JSON embedded in #chart-data (no network, no animation).
(function () {
  'use strict';
  var holder = document.getElementById('chart-data');
  if (!holder || typeof Chart === 'undefined') return;
  var specs = JSON.parse(holder.textContent || '[]');
  Chart.defaults.font.family = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.color = '#222';
  Chart.defaults.animation = false;
  specs.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (canvas) new Chart(canvas, spec.config);
  });
})();
