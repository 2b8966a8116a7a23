/* The auditor report's index (site/auditor_index.js): the report list, filtered, searched and paged in the browser.
 * Offline: the rows come from the local data files site/reports_index_<n>.js, each appending to
 * GONGKAI_REPORT_CHUNKS; GONGKAI_SITE (inline in the page) names their columns, says how many reports to expect,
 * where their pages are and a few words to show.
 * Text from the data is only ever set as textContent, never parsed as HTML. */
(function () {
  "use strict";
  const PAGE_SIZE = 100;
  const NO_REGION = "\u0000";              // the option value of reports without a province
  const site = window.GONGKAI_SITE;
  const $ = (id) => document.getElementById(id);
  const controls = {
    text: $("f-text"), province: $("f-province"), city: $("f-city"), county: $("f-county"), year: $("f-year"),
    status: $("f-status"), rule: $("f-rule"), severity: $("f-severity"), sort: $("f-sort"),
  };
  const STATUS_TESTS = {
    fail: (r) => r.fail > 0,
    uncertain: (r) => r.uncertain > 0,
    lenient: (r) => r.lenient > 0,
    clean: (r) => !r.fail && !r.uncertain,
    open: (r) => r.open > 0,
    region_review: (r) => r.region_review === 1,
    parse: (r) => r.parse_status !== "complete",
  };

  const reports = [];
  for (const chunk of window.GONGKAI_REPORT_CHUNKS || []) {
    for (const row of chunk) {
      const r = { order: reports.length };
      site.fields.forEach((name, i) => { r[name] = row[i]; });
      r.region = [r.province, r.city, r.county, r.township].filter(Boolean).join(" ");
      r.haystack = [r.publisher, r.title, r.file_name, r.region].join("\n").toLowerCase();
      reports.push(r);
    }
  }
  let page = 0;

  /** Fill a select with "全部" and the given values (value, label), keeping the current choice if still offered. */
  function fill(select, values) {
    const current = select.value;
    select.length = 1;
    for (const [value, label] of values) select.add(new Option(label, value));
    select.value = values.some(([value]) => value === current) ? current : "";
  }

  /** The distinct non-missing values of a field among reports, sorted the Chinese way. */
  function distinct(rows, field) {
    const seen = new Set(rows.map((r) => r[field]).filter((v) => v !== "" && v !== null));
    return [...seen].sort((a, b) => String(a).localeCompare(String(b), "zh-CN"));
  }

  const inProvince = (r, p) => (p === NO_REGION ? r.province === "" : r.province === p);

  function fillRegions() {
    const provinces = distinct(reports, "province").map((p) => [p, p]);
    if (reports.some((r) => r.province === "")) provinces.push([NO_REGION, site.labels.no_region]);
    fill(controls.province, provinces);
    fillCities();
  }

  function fillCities() {
    const p = controls.province.value;
    const rows = p ? reports.filter((r) => inProvince(r, p)) : [];
    fill(controls.city, distinct(rows, "city").map((c) => [c, c]));
    fillCounties();
  }

  function fillCounties() {
    const p = controls.province.value;
    const c = controls.city.value;
    const rows = p ? reports.filter((r) => inProvince(r, p) && (!c || r.city === c)) : [];
    fill(controls.county, distinct(rows, "county").map((v) => [v, v]));
  }

  function matching() {
    const terms = controls.text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const f = {
      province: controls.province.value, city: controls.city.value, county: controls.county.value,
      year: controls.year.value, status: STATUS_TESTS[controls.status.value], rule: controls.rule.value,
      severity: controls.severity.value,
    };
    const rows = reports.filter((r) =>
      (!f.province || inProvince(r, f.province)) &&
      (!f.city || r.city === f.city) &&
      (!f.county || r.county === f.county) &&
      (!f.year || String(r.year) === f.year) &&
      (!f.status || f.status(r)) &&
      (!f.rule || r.rules.includes(f.rule)) &&
      (!f.severity || r["fail_" + f.severity] > 0) &&
      terms.every((t) => r.haystack.includes(t)));
    if (controls.sort.value === "fail") {
      rows.sort((a, b) => b.fail - a.fail || b.uncertain - a.uncertain || a.order - b.order);
    }
    return rows;
  }

  function addCell(tr, text, className) {
    const td = tr.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function addCount(tr, value) {
    addCell(tr, String(value), value ? "num" : "num zero");
  }

  function reportRow(r) {
    const tr = document.createElement("tr");
    tr.className = "report";
    addCell(tr, r.region || site.labels.no_region);
    addCell(tr, r.year === null ? site.labels.unknown_year : String(r.year));
    const link = document.createElement("a");
    link.href = site.pages + "/" + r.page;
    link.textContent = r.publisher;
    if (r.title) link.title = r.title;
    tr.insertCell().appendChild(link);
    addCell(tr, r.format);
    addCell(tr, r.file_name);
    for (const severity of site.severities) addCount(tr, r["fail_" + severity]);
    addCount(tr, r.uncertain);
    addCount(tr, r.lenient);
    addCell(tr, [r.reviews, r.open ? "待审核 " + r.open : ""].filter(Boolean).join("；") || "—");
    return tr;
  }

  function render() {
    const rows = matching();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const body = $("report-rows");
    body.replaceChildren(...shown.map(reportRow));
    let count = `共 ${reports.length} 份报告，符合条件的 ${rows.length} 份。`;
    if (reports.length !== site.reports) {
      count += `注意：报告列表数据不完整，应有 ${site.reports} 份，只载入了 ${reports.length} 份（site 文件夹是否完整？）。`;
    }
    $("r-count").textContent = count;
    $("p-info").textContent = rows.length
      ? `第 ${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length} 份（第 ${page + 1}/${pages} 页）` : "没有符合条件的报告";
    $("p-prev").disabled = page === 0;
    $("p-next").disabled = page >= pages - 1;
  }

  function update() {
    page = 0;
    render();
  }

  function reset() {
    controls.text.value = "";
    for (const name of ["province", "year", "status", "rule", "severity"]) controls[name].value = "";
    controls.sort.value = "region";
    fillCities();
  }

  /** A link elsewhere on the page (rule or region table) that sets the list's filters: data-filter-<name>. */
  function applyLink(link) {
    reset();
    const wanted = link.dataset;
    if (wanted.filterProvince) { controls.province.value = wanted.filterProvince; fillCities(); }
    if (wanted.filterCity) { controls.city.value = wanted.filterCity; fillCounties(); }
    if (wanted.filterRule) controls.rule.value = wanted.filterRule;
    update();
  }

  fill(controls.year, distinct(reports, "year").reverse().map((y) => [String(y), String(y)]));
  fillRegions();
  controls.province.addEventListener("change", () => { fillCities(); update(); });
  controls.city.addEventListener("change", () => { fillCounties(); update(); });
  for (const name of ["county", "year", "status", "rule", "severity", "sort"]) {
    controls[name].addEventListener("change", update);
  }
  controls.text.addEventListener("input", update);
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("f-reset").addEventListener("click", (event) => { event.preventDefault(); reset(); update(); });
  $("p-prev").addEventListener("click", () => { page -= 1; render(); });
  $("p-next").addEventListener("click", () => { page += 1; render(); });
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-filter-rule], a[data-filter-province]");
    if (link) applyLink(link);
  });
  render();
}());
