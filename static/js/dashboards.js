// Dashboards: draw each chart from the table beside it, which stays the record of its numbers.
// Chart.js is loaded from the site's own static files when it is installed; without it (or
// without script) the tables are the whole dashboard.
(function () {
  "use strict";
  const canvases = document.querySelectorAll("canvas[data-chart]");
  if (!canvases.length) return;

  function read(table, limit, oneCourse) {
    const series = Array.from(table.querySelectorAll("thead th[data-series]"));
    const columns = Array.from(table.querySelectorAll("thead th"));
    const rows = Array.from(table.querySelectorAll("tbody tr")).slice(0, limit || undefined);
    const first = rows.map((row) => {
      const label = row.querySelector("[data-label]");
      return label ? label.textContent.trim() : "";
    });
    const second = rows.map((row) => {
      const label = row.querySelector("[data-label]");
      const withCourse = label && label.tagName === "TH" && "courseColumn" in table.dataset;
      const course = withCourse ? row.children[1] : null;
      return course ? course.textContent.trim() : "";
    });
    // One organisation (or country, cohort, trainer) throughout: name the courses instead.
    const same = first.every((text) => text === first[0]) && second.some(Boolean);
    const room = window.innerWidth < 600 ? 18 : 60;
    const labels = first.map((text, n) => {
      let label = same ? second[n] : text;
      if (!same && !oneCourse && second[n]) label += " · " + second[n];
      // On a phone a long label would crowd out its bars: the table beside has it whole.
      return label.length > room ? label.slice(0, room - 1) + "…" : label;
    });
    const datasets = series.map((heading) => {
      const index = columns.indexOf(heading);
      return {
        label: heading.textContent.trim(),
        data: rows.map((row) => Number(row.children[index].dataset.value || 0)),
      };
    });
    return { labels, datasets };
  }

  function draw(Chart) {
    const rtl = document.documentElement.dir === "rtl";
    const colours = ["#1f5fa8", "#2e7d32", "#b35900"];
    canvases.forEach((canvas) => {
      const table = document.getElementById(canvas.dataset.table);
      if (!table) return;
      const data = read(table, Number(canvas.dataset.rows || 0), "oneCourse" in canvas.dataset);
      canvas.parentElement.hidden = false;
      if (canvas.dataset.chart === "bar") {
        // Room for each row's bars and label, however many rows the chart shows.
        canvas.parentElement.style.blockSize = Math.max(288, 40 * data.labels.length + 60) + "px";
      }
      data.datasets.forEach((set, n) => {
        set.backgroundColor = colours[n % colours.length];
        set.borderColor = colours[n % colours.length];
      });
      new Chart(canvas, {
        type: canvas.dataset.chart,
        data: data,
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: document.documentElement.lang || undefined,
          indexAxis: canvas.dataset.chart === "bar" ? "y" : "x",
          scales: {
            x: { reverse: rtl, position: "bottom" },
            y: { position: rtl ? "right" : "left", ticks: { autoSkip: false } },
          },
          plugins: {
            legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
            tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          },
        },
      });
    });
  }

  const script = document.querySelector("script[data-chartjs]");
  if (window.Chart) {
    draw(window.Chart);
  } else if (script) {
    script.addEventListener("load", () => window.Chart && draw(window.Chart));
  }
})();
