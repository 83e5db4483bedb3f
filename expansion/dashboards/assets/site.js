// Draws every chart on the page from the plotly figure JSON that follows its placeholder.
for (const figure of document.querySelectorAll("figure.chart")) {
  const spec = JSON.parse(figure.querySelector("script.plot-spec").textContent);
  Plotly.newPlot(figure.querySelector(".plot"), spec.data, spec.layout, {
    displayModeBar: false,
    responsive: true,
  });
}
