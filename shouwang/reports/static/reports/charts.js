// The cockpit's charts: each <figure data-chart="ID"> holds a table of the
// days' figures; the data drawn is the json_script element ID next to it.
// ECharts draws a line chart above the table, which then stays for screen
// readers only. Without JavaScript (or ECharts) the table is the chart.
(function () {
  "use strict";

  var HEIGHT = 240;
  var PERCENT_AXIS = {
    type: "value",
    max: 100,
    // From the tens below the lowest value: 94 % and 97 % must look apart.
    min: function (extent) { return Math.max(0, Math.floor(extent.min / 10) * 10); },
    axisLabel: { formatter: "{value}%" },
    splitLine: { show: false }
  };
  var COUNT_AXIS = { type: "value", minInterval: 1 };

  function option(data) {
    var hasPercent = data.series.some(function (s) { return s.percent; });
    var hasCount = data.series.some(function (s) { return !s.percent; });
    var yAxis = [];
    if (hasCount) { yAxis.push(COUNT_AXIS); }
    if (hasPercent) { yAxis.push(PERCENT_AXIS); }
    return {
      animation: false,
      // Drawn on the canvas, not as HTML: the page's CSP allows no inline styles.
      tooltip: { trigger: "axis", confine: true, renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 4, right: 4, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: yAxis,
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          data: s.data,
          yAxisIndex: s.percent && hasCount ? 1 : 0,
          symbolSize: 6,
          connectNulls: false
        };
      })
    };
  }

  function draw(figure, locale) {
    var source = document.getElementById(figure.dataset.chart);
    var table = figure.querySelector("[data-chart-table]");
    if (!source || !table) { return null; }
    var box = document.createElement("div");
    box.className = "cockpit-chart";
    box.style.height = (parseInt(figure.dataset.chartHeight, 10) || HEIGHT) + "px";
    box.setAttribute("aria-hidden", "true");
    figure.insertBefore(box, table);
    var chart = echarts.init(box, null, { locale: locale });
    chart.setOption(option(JSON.parse(source.textContent)));
    table.classList.add("visually-hidden");
    return chart;
  }

  function start() {
    if (typeof echarts === "undefined") { return; }
    var locale = (document.documentElement.lang || "").indexOf("zh") === 0 ? "ZH" : "EN";
    var charts = [];
    document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      var chart = draw(figure, locale);
      if (chart) { charts.push(chart); }
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
