/* Regulators' cockpit: log in with a platform user, KPIs against targets as charts, drill-down province → city →
 * hospital, alerts and cases, the monthly report. Talks only to the app's own /graphql. */
(function () {
  'use strict';
  var vbp = window.vbp;
  var LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }';
  var ME = '{ me { username displayName role organisation { name } } }';
  var KPIS = 'query($period: String, $scope: KpiScopeInput) { kpis(period: $period, scope: $scope) {' +
    ' scope { level code name hospitalId } period' +
    ' figures { code name unit target comparator month yearToDate meetsTarget trend { month value } }' +
    ' children { scope { level code name hospitalId } figures { code month yearToDate meetsTarget } }' +
    ' priceDrops { roundName roundLevel agreedQuantity dropVsCeiling dropVsPreVbp }' +
    ' vbpByLevel { level drugVarieties consumableClasses } } }';
  var ALERTS = 'query($after: String) { alerts(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id ruleCode subjectName regionCode period severity state deadline } } }';
  var RULES = '{ monitoringRules { code name } }';
  var REPORT = 'query($period: String, $scope: KpiScopeInput) { kpiMonthlyReport(period: $period, scope: $scope) { filename contentType base64 } }';
  var STATES = { OPEN: '待处理', INQUIRY: '函询中', INTERVIEW: '约谈中', RECTIFIED: '已整改', DISMISSED: '已排除', ESCALATED_TO_CREDIT: '已转信用评价' };
  var LEVELS = { PROVINCE: '省', CITY: '市', HOSPITAL: '医疗机构' };
  var SEVERITY = { LOW: '低', MEDIUM: '中', HIGH: '高' };
  var RATIO_CODES = ['DRUG_PLATFORM_SHARE', 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', 'AGREEMENT_COMPLETION', 'DELIVERY_RATE', 'PAYMENT_ON_TIME'];
  var TREND_CODES = ['DRUG_PLATFORM_SHARE', 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', 'DELIVERY_RATE', 'PAYMENT_ON_TIME'];

  var state = { token: sessionStorage.getItem('vbp.token'), trail: [], report: null, charts: {} };
  var $ = function (id) { return document.getElementById(id); };

  function api(query, variables) {
    return vbp.gql(query, variables, state.token).catch(function (e) {
      if (e.code === 'UNAUTHENTICATED') logout();
      throw e;
    });
  }

  function show(loggedIn) {
    $('login-view').hidden = loggedIn;
    $('cockpit').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
  }

  function logout() {
    sessionStorage.removeItem('vbp.token');
    state.token = null;
    state.trail = [];
    $('who').textContent = '';
    show(false);
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    $('login-error').textContent = '';
    vbp.gql(LOGIN, { u: $('username').value.trim(), p: $('password').value })
      .then(function (data) {
        state.token = data.login.accessToken;
        sessionStorage.setItem('vbp.token', state.token);
        start();
      })
      .catch(function (e) { $('login-error').textContent = '登录失败：' + e.message; });
  });
  $('logout').addEventListener('click', logout);
  $('period').addEventListener('change', function () { load(); });
  $('report').addEventListener('click', downloadReport);

  function start() {
    show(true);
    api(ME).then(function (data) {
      var me = data.me;
      $('who').textContent = (me.organisation ? me.organisation.name + ' · ' : '') + (me.displayName || me.username);
    }).catch(function () {});
    state.trail = [];
    load();
    loadAlerts();
  }

  function scope() {
    return state.trail.length ? state.trail[state.trail.length - 1] : null;
  }

  function load() {
    var started = performance.now();
    $('status').textContent = '加载中…';
    document.body.setAttribute('data-ready', 'false');
    var current = scope();
    return api(KPIS, { period: $('period').value || null, scope: current ? { level: current.level, code: current.code } : null })
      .then(function (data) {
        state.report = data.kpis;
        $('period').value = data.kpis.period;
        if (!state.trail.length) state.trail.push({ level: data.kpis.scope.level, code: data.kpis.scope.code, name: data.kpis.scope.name });
        render(data.kpis);
        $('status').textContent = '数据月份 ' + data.kpis.period + '，用时 ' + Math.round(performance.now() - started) + ' 毫秒';
        document.body.setAttribute('data-ready', 'true');
      })
      .catch(function (e) {
        $('status').textContent = '加载失败：' + e.message;
        document.body.setAttribute('data-ready', 'error');
      });
  }

  function drill(child) {
    state.trail.push({ level: child.level, code: child.code, name: child.name });
    return load();
  }

  function renderBreadcrumb() {
    var nav = $('breadcrumb');
    nav.textContent = '';
    state.trail.forEach(function (s, i) {
      if (i) nav.appendChild(document.createTextNode(' › '));
      if (i === state.trail.length - 1) nav.appendChild(vbp.el('strong', { text: s.name + '（' + LEVELS[s.level] + '）' }));
      else {
        var a = vbp.el('a', { text: s.name, 'data-level': s.level, 'data-code': s.code });
        a.addEventListener('click', function () { state.trail = state.trail.slice(0, i + 1); load(); });
        nav.appendChild(a);
      }
    });
  }

  /** The API's exact decimal text ("1234567.5") grouped by thousands with two decimals, never through a float. */
  function yuan(text) {
    var m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(text));
    if (!m) return String(text);
    var cents = ((m[3] || '') + '00').slice(0, 2);
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + cents;
  }

  function value(f, v) {
    if (v === null || v === undefined) return '—';
    if (f.unit === 'RATIO') return vbp.pct(v);
    if (f.unit === 'MONEY') return yuan(v) + ' 元';
    return v;
  }

  function render(report) {
    renderBreadcrumb();
    var cards = $('cards');
    cards.textContent = '';
    report.figures.forEach(function (f) {
      var card = vbp.el('div', { class: 'card ' + (f.meetsTarget === true ? 'ok' : f.meetsTarget === false ? 'bad' : ''), 'data-code': f.code, 'data-ytd': f.yearToDate === null ? '' : f.yearToDate });
      card.appendChild(vbp.el('div', { class: 'name', text: f.name }));
      card.appendChild(vbp.el('div', { class: 'value', text: value(f, f.yearToDate) }));
      card.appendChild(vbp.el('div', { class: 'target', text: '本月 ' + value(f, f.month) + (f.target !== null ? ' · 目标 ' + (f.comparator === 'AT_MOST' ? '≤ ' : '≥ ') + value(f, f.target) : '') }));
      cards.appendChild(card);
    });
    renderCharts(report);
    renderChildren(report);
    vbp.fill($('drops').tBodies[0], report.priceDrops.map(function (d) {
      return [d.roundName, d.roundLevel, { value: d.agreedQuantity, num: true }, { value: vbp.pct(d.dropVsCeiling), num: true }, { value: vbp.pct(d.dropVsPreVbp), num: true }];
    }));
  }

  function figure(report, code) {
    return report.figures.filter(function (f) { return f.code === code; })[0];
  }

  function chart(id) {
    if (!state.charts[id]) state.charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
    return state.charts[id];
  }

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function renderCharts(report) {
    var ratios = RATIO_CODES.map(function (c) { return figure(report, c); }).filter(Boolean);
    chart('chart-targets').setOption({
      title: { text: '年初至今指标与目标', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: ['年初至今', '目标'] },
      grid: { left: 60, right: 20, top: 40, bottom: 80 },
      xAxis: { type: 'category', data: ratios.map(function (f) { return f.name; }), axisLabel: { interval: 0, rotate: 20, fontSize: 10 } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      series: [
        { name: '年初至今', type: 'bar', data: ratios.map(function (f) { return num(f.yearToDate); }), itemStyle: { color: '#0b4f8a' } },
        { name: '目标', type: 'scatter', symbol: 'rect', symbolSize: [28, 4], data: ratios.map(function (f) { return num(f.target); }), itemStyle: { color: '#e74c3c' } },
      ],
    }, true);
    var trend = TREND_CODES.map(function (c) { return figure(report, c); }).filter(Boolean);
    var months = trend.length ? trend[0].trend.map(function (p) { return p.month; }) : [];
    chart('chart-trend').setOption({
      title: { text: '月度趋势', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: trend.map(function (f) { return f.name; }), textStyle: { fontSize: 10 } },
      grid: { left: 60, right: 20, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      series: trend.map(function (f) {
        return { name: f.name, type: 'line', connectNulls: false, data: f.trend.map(function (p) { return num(p.value); }),
          markLine: f.target === null ? undefined : { silent: true, symbol: 'none', lineStyle: { type: 'dashed' }, data: [{ yAxis: num(f.target), name: '目标' }] } };
      }),
    }, true);
    var drug = figure(report, 'DRUG_PLATFORM_SHARE') || report.figures[0];
    var children = report.children;
    var c = chart('chart-children');
    c.setOption({
      title: { text: (drug ? drug.name : '') + '（' + (report.scope.level === 'PROVINCE' ? '分市' : '分医疗机构') + '，点击下钻）', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 40, bottom: 80 },
      xAxis: { type: 'category', data: children.map(function (ch) { return ch.scope.name; }), axisLabel: { interval: 0, rotate: 30, fontSize: 10 } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      series: [{
        name: drug ? drug.name : '', type: 'bar', itemStyle: { color: '#2e86c1' },
        data: children.map(function (ch) {
          var f = ch.figures.filter(function (x) { return drug && x.code === drug.code; })[0];
          return f ? num(f.yearToDate) : null;
        }),
        markLine: drug && drug.target !== null ? { silent: true, symbol: 'none', data: [{ yAxis: num(drug.target), name: '目标' }] } : undefined,
      }],
    }, true);
    c.off('click');
    c.on('click', function (params) { if (children[params.dataIndex]) drill(children[params.dataIndex].scope); });
    var varieties = figure(report, 'VBP_DRUG_VARIETIES'), classes = figure(report, 'VBP_CONSUMABLE_CLASSES');
    var vbpFigures = [varieties, classes].filter(Boolean);
    chart('chart-vbp').setOption({
      title: { text: '执行中的集采品种与类别（对比目标）', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: ['执行中', '目标'] },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: vbpFigures.map(function (f) { return f.name; }), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'log', logBase: 10, min: 1 },
      series: [
        { name: '执行中', type: 'bar', data: vbpFigures.map(function (f) { return num(f.yearToDate); }), itemStyle: { color: '#16a085' } },
        { name: '目标', type: 'bar', data: vbpFigures.map(function (f) { return num(f.target); }), itemStyle: { color: '#e67e22' } },
      ],
    }, true);
  }

  function renderChildren(report) {
    var level = report.scope.level === 'PROVINCE' ? '分市' : report.scope.level === 'CITY' ? '分医疗机构' : '';
    $('children-title').textContent = level ? level + '（年初至今，点击名称下钻）' : '本机构无下级';
    var table = $('children');
    var codes = report.figures.map(function (f) { return f.code; });
    var head = vbp.el('tr', {}, [vbp.el('th', { text: '名称' })].concat(report.figures.map(function (f) { return vbp.el('th', { text: f.name }); })));
    table.tHead.textContent = '';
    table.tHead.appendChild(head);
    vbp.fill(table.tBodies[0], report.children.map(function (ch) {
      var link = vbp.el('a', { class: 'drill', text: ch.scope.name, 'data-level': ch.scope.level, 'data-code': ch.scope.code });
      link.addEventListener('click', function () { drill(ch.scope); });
      return [{ node: link }].concat(codes.map(function (code, i) {
        var f = ch.figures.filter(function (x) { return x.code === code; })[0];
        return { value: f ? value(report.figures[i], f.yearToDate) : '—', num: true };
      }));
    }));
  }

  function loadAlerts() {
    var all = [];
    var ruleNames = {};
    api(RULES).then(function (data) { data.monitoringRules.forEach(function (r) { ruleNames[r.code] = r.name; }); }).catch(function () {}).then(function () { return loadAlertPages(); });
    function loadAlertPages() {
      var page = function (after) {
        return api(ALERTS, { after: after }).then(function (data) {
          all = all.concat(data.alerts.nodes);
          if (data.alerts.pageInfo.hasNextPage && all.length < 500) return page(data.alerts.pageInfo.endCursor);
          return data.alerts.totalCount;
        });
      };
      page(null).then(function (total) {
        var counts = {};
        all.forEach(function (a) { counts[a.state] = (counts[a.state] || 0) + 1; });
        $('alert-summary').textContent = '共 ' + total + ' 条预警：' + Object.keys(counts).map(function (s) { return (STATES[s] || s) + ' ' + counts[s]; }).join('，') + (all.length > 50 ? '（下表列出办理中的案件和最近的预警，共 50 条）' : '');
        // cases being worked first, then the newest
        all.sort(function (a, b) { return (a.state === 'OPEN') - (b.state === 'OPEN') || b.period.localeCompare(a.period); });
        vbp.fill($('alerts').tBodies[0], all.slice(0, 50).map(function (a) {
          return [a.period.slice(0, 7), ruleNames[a.ruleCode] || a.ruleCode, a.subjectName, a.regionCode, SEVERITY[a.severity] || a.severity, { node: vbp.el('span', { class: 'state', 'data-state': a.state, text: STATES[a.state] || a.state }) }, a.deadline];
        }));
      }).catch(function (e) { $('alert-summary').textContent = '预警加载失败：' + e.message; });
    }
  }

  function downloadReport() {
    var current = scope();
    api(REPORT, { period: $('period').value || null, scope: current ? { level: current.level, code: current.code } : null }).then(function (data) {
      var file = data.kpiMonthlyReport;
      var bytes = atob(file.base64);
      var buffer = new Uint8Array(bytes.length);
      for (var i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i);
      var link = $('report-link');
      link.href = URL.createObjectURL(new Blob([buffer], { type: file.contentType }));
      link.download = file.filename;
      link.textContent = file.filename;
      link.hidden = false;
      link.click();
    }).catch(function (e) { $('status').textContent = '报告生成失败：' + e.message; });
  }

  window.addEventListener('resize', function () { Object.keys(state.charts).forEach(function (k) { state.charts[k].resize(); }); });
  window.vbpConsole = { state: state, chart: function (id) { return state.charts[id]; } };
  if (state.token) start();
  else show(false);
})();
