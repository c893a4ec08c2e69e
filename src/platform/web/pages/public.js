/* Public portal: VBP results with their price drops, listing prices in force, payment standards. No login:
 * it reads the platform's public GraphQL queries only. */
(function () {
  'use strict';
  var vbp = window.vbp;
  var VBP = 'query($after: String) { publicVbpResults(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { roundName roundLevel lotName productName spec manufacturerName varietyId awardedUnitPrice ceilingUnitPrice dropFromCeiling preVbpUnitPrice dropFromPreVbp } } }';
  var PRICES = 'query($after: String) { publicPricesInForce(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { productName dosageForm spec manufacturerName unitPrice state validFrom varietyId varietyName } } }';
  var STANDARDS = 'query($after: String) { publicPaymentStandards(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { varietyId unitPrice basis effectiveFrom effectiveTo } } }';
  var LEVELS = { NATIONAL: '国家', ALLIANCE: '联盟', PROVINCIAL: '省级', MUNICIPAL: '市级', HOSPITAL_GROUP: '医联体' };
  var PRICE_STATES = { LISTED: '挂网', SUSPENDED: '暂停', WITHDRAWN: '撤网', PENDING_REVIEW: '审核中' };
  var $ = function (id) { return document.getElementById(id); };

  /** Every page of a connection (up to 1,000 rows). */
  function all(query, field) {
    var rows = [];
    var page = function (after) {
      return vbp.gql(query, { after: after }).then(function (data) {
        var c = data[field];
        rows = rows.concat(c.nodes);
        if (c.pageInfo.hasNextPage && rows.length < 1000) return page(c.pageInfo.endCursor);
        return { rows: rows, total: c.totalCount };
      });
    };
    return page(null);
  }
  var day = function (iso) { return iso ? new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10) : '—'; };

  var names = {};
  var results = all(VBP, 'publicVbpResults').then(function (r) {
    $('vbp-summary').textContent = '共 ' + r.total + ' 个中选结果';
    r.rows.forEach(function (n) { names[n.varietyId] = n.lotName; });
    vbp.fill($('vbp').tBodies[0], r.rows.map(function (n) {
      return [n.roundName, LEVELS[n.roundLevel] || n.roundLevel, n.lotName, n.productName, n.spec, n.manufacturerName,
        { value: n.awardedUnitPrice, num: true }, { value: n.ceilingUnitPrice, num: true }, { value: vbp.pct(n.dropFromCeiling), num: true },
        { value: n.preVbpUnitPrice, num: true }, { value: vbp.pct(n.dropFromPreVbp), num: true }];
    }));
    var chart = echarts.init($('chart-drops'));
    chart.setOption({
      title: { text: '中选价较最高有效申报价降幅', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: r.rows.map(function (n) { return n.productName + ' ' + n.spec; }), axisLabel: { interval: 0, rotate: 30, fontSize: 10 } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      series: [{ name: '降幅', type: 'bar', data: r.rows.map(function (n) { return Number(n.dropFromCeiling); }), itemStyle: { color: '#27ae60' } }],
    });
    window.vbpPublic = { chart: chart };
  });
  var prices = all(PRICES, 'publicPricesInForce').then(function (r) {
    $('prices-summary').textContent = '共 ' + r.total + ' 个挂网产品';
    r.rows.forEach(function (n) { if (n.varietyId && n.varietyName && !names[n.varietyId]) names[n.varietyId] = n.varietyName; });
    vbp.fill($('prices').tBodies[0], r.rows.map(function (n) {
      return [n.productName, n.dosageForm, n.spec, n.manufacturerName, { value: n.unitPrice, num: true }, PRICE_STATES[n.state] || n.state, day(n.validFrom)];
    }));
  });
  Promise.all([results, prices]).then(function () { return all(STANDARDS, 'publicPaymentStandards'); }).then(function (r) {
    $('standards-summary').textContent = '共 ' + r.total + ' 条支付标准';
    vbp.fill($('standards').tBodies[0], r.rows.map(function (n) {
      return [names[n.varietyId] || n.varietyId, { value: n.unitPrice, num: true }, n.basis, day(n.effectiveFrom), day(n.effectiveTo)];
    }));
    document.body.setAttribute('data-ready', 'true');
  }).catch(function (e) {
    document.body.setAttribute('data-ready', 'error');
    $('vbp-summary').textContent = '加载失败：' + e.message;
  });
})();
