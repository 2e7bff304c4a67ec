// No Content-Security-Policy violation in any e2e test (issue 14, part 7). Every page of the
// app carries a CSP <meta> (public/*.html); a violation means something the policy blocks
// (an inline script, a <style> element, a style attribute, a foreign request) was tried.
//
// `watchCsp(browser)` makes every context the browser creates (`browser.newContext()`, and
// `browser.newPage()`, which goes through it) record violations: an init script listens for
// `securitypolicyviolation` on each document and reports each one through a binding, with
// the page's address. Every spec file that imports this module gets an `afterEach` hook that
// fails the test in which a violation happened (and clears the list), so a violation fails a
// test like a page error does. `violations` is the list itself, for a spec that checks mid-test.
import assert from 'node:assert/strict';
import { afterEach } from 'node:test';

/** The violations since the last check: `{ page, directive, blocked, source, line, sample }`. */
export const violations = [];

const WATCHED = Symbol('csp-watched');

/** Records the violations of every page of `context` (once per context). */
export async function watchContext(context) {
  if (context[WATCHED]) return context;
  context[WATCHED] = true;
  await context.exposeBinding('__ruhuCspViolation', ({ page }, v) => {
    violations.push({ page: page ? page.url() : '', ...v });
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // A binding may be missing in a page opened before it was exposed; never throw here.
      try {
        window.__ruhuCspViolation({
          directive: e.effectiveDirective || e.violatedDirective,
          blocked: e.blockedURI,
          source: e.sourceFile,
          line: e.lineNumber,
          sample: e.sample,
        });
      } catch (_) {
        /* nothing to report to */
      }
    });
  });
  return context;
}

/** Makes every context `browser` creates record its violations; returns `browser`. */
export function watchCsp(browser) {
  if (browser[WATCHED]) return browser;
  browser[WATCHED] = true;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => watchContext(await newContext(...args));
  return browser;
}

/** Fails with the violations recorded so far (and forgets them). */
export function assertNoViolations() {
  const seen = violations.splice(0);
  assert.deepEqual(seen, [], `Content-Security-Policy violations:\n${JSON.stringify(seen, null, 2)}`);
}

// Only under the test runner (`node --test` sets NODE_TEST_CONTEXT in each file's process):
// the benchmarks import the same helpers and are no tests.
if (process.env.NODE_TEST_CONTEXT) afterEach(() => assertNoViolations());
