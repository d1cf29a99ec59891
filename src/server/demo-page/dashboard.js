// The demo dashboard's script (served by src/server/demo.ts). Plain browser JavaScript, no build
// step, no framework: what a frontend needs from the API is two operations and the figures they
// return. Amounts are exact decimal strings and stay strings: they are shown as sent, and the
// chart's bar heights are computed with BigInt, never by adding floats.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('demo-config').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var CHART = { width: 600, height: 160, top: 10, bottom: 24, bar: 16 };
  var PAGE = 10;

  var tokenInput = document.getElementById('token');
  var status = document.getElementById('status');
  tokenInput.value = config.token || '';
  document.getElementById('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    load();
  });

  function request(query, variables) {
    return fetch(config.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: 'Bearer ' + tokenInput.value.trim(),
      },
      body: JSON.stringify({ query: query, variables: variables }),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        if (result.errors && result.errors.length) {
          throw new Error(result.errors.map(errorText).join('; '));
        }
        return result.data;
      });
  }

  function errorText(error) {
    var code = error.extensions && error.extensions.code;
    return code ? error.message + ' (' + code + ')' : error.message;
  }

  function load() {
    if (!tokenInput.value.trim()) {
      status.textContent = 'Enter a bearer token to see its accounts.';
      return;
    }
    status.textContent = 'Loading…';
    request(config.operations.dashboard, { from: config.from, to: config.to, first: 5 }).then(
      function (data) {
        renderBalances(data.balances);
        renderAccounts(data.accounts);
        status.textContent =
          'Months ' + config.months[0] + ' to ' + config.months[config.months.length - 1] + '.';
        document.body.setAttribute('data-loaded', 'true');
      },
      function (error) {
        status.textContent = 'The API answered: ' + error.message;
      },
    );
  }

  function renderBalances(balances) {
    var list = document.getElementById('balances');
    list.replaceChildren();
    balances.forEach(function (balance) {
      var item = element('li', 'balance');
      item.setAttribute('data-currency', balance.currency);
      item.append(
        element('span', 'currency', balance.currency),
        amountElement(balance.total.amount),
        element(
          'span',
          'count',
          balance.accountCount + (balance.accountCount === 1 ? ' account' : ' accounts'),
        ),
      );
      list.append(item);
    });
  }

  function renderAccounts(accounts) {
    var container = document.getElementById('accounts');
    container.replaceChildren();
    accounts.forEach(function (account) {
      container.append(accountSection(account));
    });
  }

  function accountSection(account) {
    var section = element('section', 'account');
    section.setAttribute('data-number', account.number);
    var title = element('h2', null, account.productName + ' ');
    title.append(element('span', 'number', account.number));
    var balance = element('p', 'balance-now', 'Balance ');
    balance.append(amountElement(account.balance.amount), ' ' + account.currency);
    section.append(title, balance);

    var connection = account.transactions;
    if (!connection) {
      section.append(element('p', 'error', 'Transactions could not be loaded.'));
      return section;
    }
    var summary = connection.summary;
    var totals = element('p', 'totals', connection.totalCount + ' transactions: deposits ');
    totals.append(
      amountElement(summary.deposits.amount),
      ', withdrawals ',
      amountElement(summary.withdrawals.amount),
      ', net ',
      amountElement(summary.net.amount),
      ' ' + account.currency,
    );
    section.append(totals, chart(summary.months, account.currency));

    var list = element('ol', 'transactions');
    appendTransactions(list, connection.nodes);
    section.append(element('h3', null, 'Latest transactions'), list);

    var more = element('button', 'load-more', 'Load more');
    more.type = 'button';
    var cursor = connection.pageInfo.endCursor;
    more.hidden = !connection.pageInfo.hasNextPage;
    more.addEventListener('click', function () {
      more.disabled = true;
      request(config.operations.transactions, {
        number: account.number,
        from: config.from,
        to: config.to,
        first: PAGE,
        after: cursor,
      }).then(
        function (data) {
          var page = data.account.transactions;
          appendTransactions(list, page.nodes);
          cursor = page.pageInfo.endCursor;
          more.hidden = !page.pageInfo.hasNextPage;
          more.disabled = false;
        },
        function (error) {
          status.textContent = 'The API answered: ' + error.message;
          more.disabled = false;
        },
      );
    });
    section.append(more);
    return section;
  }

  function appendTransactions(list, nodes) {
    nodes.forEach(function (node) {
      var item = element('li', 'transaction ' + (node.type || 'other').toLowerCase());
      item.setAttribute('data-occurred-at', node.occurredAt);
      var sign = node.type === 'WITHDRAWAL' ? '−' : node.type === 'DEPOSIT' ? '+' : '';
      var amount = amountElement(node.amount.amount);
      amount.prepend(sign);
      item.append(
        element('time', null, node.occurredAt.slice(0, 16).replace('T', ' ')),
        element('span', 'memo', node.memo || ''),
        amount,
        ' ' + node.amount.currency,
      );
      list.append(item);
    });
  }

  /** One group per month of `config.months`; a month without transactions is a group of zeros. */
  function chart(months, currency) {
    var byMonth = {};
    months.forEach(function (m) {
      byMonth[m.month] = m;
    });
    var rows = config.months.map(function (month) {
      var m = byMonth[month];
      return {
        month: month,
        deposits: m ? m.deposits.amount : '0',
        withdrawals: m ? m.withdrawals.amount : '0',
      };
    });
    var max = 0n;
    rows.forEach(function (row) {
      [row.deposits, row.withdrawals].forEach(function (amount) {
        var units = thousandths(amount);
        if (units > max) max = units;
      });
    });
    var plot = CHART.height - CHART.top - CHART.bottom;
    var slot = CHART.width / rows.length;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'chart');
    svg.setAttribute('viewBox', '0 0 ' + CHART.width + ' ' + CHART.height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Deposits and withdrawals per month, ' + currency);
    rows.forEach(function (row, i) {
      var group = document.createElementNS(SVG, 'g');
      group.setAttribute('class', 'month');
      group.setAttribute('data-month', row.month);
      group.setAttribute('data-deposits', row.deposits);
      group.setAttribute('data-withdrawals', row.withdrawals);
      var x = i * slot + (slot - 2 * CHART.bar) / 2;
      group.append(
        bar('deposits', x, row.deposits, max, plot),
        bar('withdrawals', x + CHART.bar, row.withdrawals, max, plot),
        label(i * slot + slot / 2, row.month),
      );
      var title = document.createElementNS(SVG, 'title');
      title.textContent =
        row.month +
        ': deposits ' +
        grouped(row.deposits) +
        ', withdrawals ' +
        grouped(row.withdrawals) +
        ' ' +
        currency;
      group.append(title);
      svg.append(group);
    });
    return svg;
  }

  function bar(kind, x, amount, max, plot) {
    // Whole pixels from exact thousandths: BigInt all the way, a Number only for the pixel count.
    var height = max === 0n ? 0 : Number((thousandths(amount) * BigInt(plot)) / max);
    var rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', kind);
    rect.setAttribute('x', String(x));
    rect.setAttribute('y', String(CHART.top + plot - height));
    rect.setAttribute('width', String(CHART.bar - 2));
    rect.setAttribute('height', String(height));
    return rect;
  }

  function label(x, month) {
    var text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', String(x));
    text.setAttribute('y', String(CHART.height - 6));
    text.setAttribute('text-anchor', 'middle');
    text.textContent = month.slice(5);
    return text;
  }

  /** "1234.5" → 1234500n: a decimal string as exact thousandths (the upstream's amounts have 3 decimals at most). */
  function thousandths(amount) {
    var parts = amount.replace('-', '').split('.');
    var units = BigInt(parts[0]) * 1000n + BigInt((parts[1] || '').padEnd(3, '0').slice(0, 3));
    return amount.charAt(0) === '-' ? -units : units;
  }

  /** "1234567.5" → "1,234,567.5", by string: the amount is never turned into a number. */
  function grouped(amount) {
    var negative = amount.charAt(0) === '-';
    var parts = amount.replace('-', '').split('.');
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (negative ? '−' : '') + whole + (parts.length > 1 ? '.' + parts[1] : '');
  }

  function amountElement(amount) {
    var span = element('span', 'amount', grouped(amount));
    span.setAttribute('data-amount', amount);
    return span;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  load();
})();
