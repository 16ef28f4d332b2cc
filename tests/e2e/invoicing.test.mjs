// Browser test of the application issue's user journey in headless Chromium: sign up, create a
// customer, a product and an invoice with two lines, check the server-computed totals, see the
// version-conflict message when a second tab saved first, and log out. Screenshots of each page.
import { assert, run } from './harness.mjs';

async function text(page, testid) {
  return (await page.textContent(`[data-testid="${testid}"]`)).trim().replace(/\s+/g, ' ');
}

await run([
  {
    name: 'sign up, customer, product, invoice with two lines, version conflict, log out',
    async fn({ platform, browser, screenshot }) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const base = platform.tallyUrl;

      // Sign up: creates the user and the company, lands on the dashboard.
      await page.goto(`${base}/signup`);
      await screenshot(page, '01-signup');
      await page.fill('#first_name', 'Ada');
      await page.fill('#last_name', 'Lovelace');
      await page.fill('#email', 'ada@example.com');
      await page.fill('#password', 'analytical-engine-1843');
      await page.fill('#company_name', 'Engines & Co');
      await page.fill('#currency', 'EUR');
      await page.fill('#timezone', 'Europe/London');
      await page.fill('#country', 'GB');
      await Promise.all([page.waitForURL(`${base}/app`), page.click('button[type=submit]')]);
      assert((await text(page, 'current-company')) === 'Engines & Co', 'company shown in the layout');
      await screenshot(page, '02-dashboard');

      // A customer.
      await page.goto(`${base}/app/customers/new`);
      await page.fill('#name', 'Babbage Ltd');
      await page.fill('#email', 'accounts@babbage.example');
      await page.fill('#billing_city', 'London');
      await page.fill('#billing_country', 'GB');
      await screenshot(page, '03-customer-form');
      await Promise.all([page.waitForURL(/\/app\/customers\/\d+$/), page.click('[data-testid="save-customer"]')]);
      const customerUrl = page.url();
      assert((await text(page, 'customer-name')).includes('Babbage Ltd'), 'customer saved');
      await screenshot(page, '04-customer-view');

      // A product at 120.00 with 20% tax.
      await page.goto(`${base}/app/products/new`);
      await page.fill('#name', 'Consulting hour');
      await page.fill('#sale_price', '120.00');
      await page.fill('#tax_rate', '20');
      await page.fill('#unit', 'hour');
      await Promise.all([page.waitForURL(/\/app\/products\/\d+$/), page.click('[data-testid="save-product"]')]);
      await screenshot(page, '05-product-view');

      // An invoice with two lines: 2 x Consulting hour (from the product) and 1 x Travel 35.50 at 10%.
      await page.goto(`${base}/app/invoices/new`);
      await page.selectOption('#customer_id', { label: 'Babbage Ltd' });
      const productOption = await page.$eval('[data-testid="line-0-product"]', (sel) =>
        [...sel.options].find((o) => o.textContent.includes('Consulting hour')).value);
      await page.selectOption('[data-testid="line-0-product"]', productOption);
      await page.fill('[data-testid="line-0-quantity"]', '2');
      await page.fill('[data-testid="line-1-description"]', 'Travel');
      await page.fill('[data-testid="line-1-quantity"]', '1');
      await page.fill('[data-testid="line-1-unit_price"]', '35.50');
      await page.fill('[data-testid="line-1-tax_rate"]', '10');
      await screenshot(page, '06-invoice-form');
      await Promise.all([page.waitForURL(/\/app\/invoices\/\d+$/), page.click('[data-testid="save-invoice"]')]);
      // 2 x 120.00 = 240.00 + 48.00 tax; 35.50 + 3.55 tax; totals computed on the server.
      assert((await text(page, 'invoice-net')).startsWith('275.50'), `net ${await text(page, 'invoice-net')}`);
      assert((await text(page, 'invoice-tax')).startsWith('51.55'), `tax ${await text(page, 'invoice-tax')}`);
      assert((await text(page, 'invoice-total')).startsWith('327.05'), `total ${await text(page, 'invoice-total')}`);
      await screenshot(page, '07-invoice-view');

      // The invoice shows in the list and on the dashboard.
      await page.goto(`${base}/app/invoices`);
      assert((await page.$$('[data-testid="invoice-row"]')).length === 1, 'one invoice listed');
      await screenshot(page, '08-invoice-list');

      // Two tabs edit the customer; the second save sees the version-conflict message.
      const tabA = await context.newPage();
      const tabB = await context.newPage();
      await tabA.goto(`${customerUrl}/edit`);
      await tabB.goto(`${customerUrl}/edit`);
      await tabA.fill('#name', 'Babbage & Sons Ltd');
      await Promise.all([tabA.waitForURL(customerUrl), tabA.click('[data-testid="save-customer"]')]);
      await tabB.fill('#phone', '+44 20 7946 0000');
      await tabB.click('[data-testid="save-customer"]');
      await tabB.waitForSelector('[data-testid="version-conflict"]');
      const conflict = await text(tabB, 'version-conflict');
      assert(/changed by someone else/i.test(conflict), `conflict message: ${conflict}`);
      await screenshot(tabB, '09-version-conflict');
      await tabA.close();
      await tabB.close();

      // Log out: the app is closed to this browser again.
      await page.goto(`${base}/app`);
      await Promise.all([page.waitForURL(/\/login/), page.click('.who form button[type=submit]')]);
      await page.goto(`${base}/app`);
      assert(page.url().includes('/login'), 'signed out');
      await screenshot(page, '10-logged-out');
      await context.close();
    },
  },
]);
